import { execFile } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

const run = promisify(execFile);
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

describe("scripts/anchor-batch.ts", () => {
  it("default: issues and anchors a batch through Hardhat's network config with the same library code", async () => {
    const node = await startHardhatNode();
    try {
      const dir = await mkdtemp(path.join(tmpdir(), "credreg-anchor-script-"));
      const env = { CREDREG_RPC_URL: node.url, CREDREG_PRIVATE_KEY: GOVERNOR_KEY, CREDREG_DEPLOYMENTS_DIR: path.join(dir, "deployments"), CREDREG_STORE: path.join(dir, "store.sqlite") };
      expect((await runCli(["deploy"], { cwd: dir, env })).code).toBe(0);
      expect((await runCli(["accredit", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "--name", "Self", "--profile-id", "https://self.example"], { cwd: dir, env })).code).toBe(0);
      const { stdout } = await run(process.execPath, [path.resolve("node_modules/hardhat/dist/src/cli.js"), "run", "scripts/anchor-batch.ts", "--network", "rpc"], {
        env: { ...process.env, ...env, FORCE_COLOR: "0", CREDREG_INPUT: "examples/recipients.json", CREDREG_ACHIEVEMENT: "examples/achievement.json", CREDREG_OUT: path.join(dir, "out") },
      });
      expect(stdout).toMatch(/^issued: 6 credentials, root 0x[0-9a-f]{64}, transaction 0x[0-9a-f]{64} \(block \d+\); files in /m);
      expect(await readdir(path.join(dir, "out", "credentials"))).toHaveLength(6);
    } finally {
      await node.stop();
    }
  });
});
