import { tasks } from "hardhat";

/** vitest globalSetup: one Hardhat build before the suite (offline, with the pinned solc-js). */
export async function setup(): Promise<void> {
  await tasks.getTask("build").run({ quiet: true });
}
