import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { getAddress, isAddress } from "ethers";
import { InvalidDeploymentFileError } from "../errors/chainErrors.ts";
import { writeFileAtomically } from "../fs/writeAtomically.ts";
import type { RegistryDeployment } from "./deployments.ts";

/**
 * The file that holds a deployment whose roles are not all granted yet: `<chainId>.pending.json` beside the
 * deployments file. Written as soon as the deployment is mined, removed once `<chainId>.json` is written.
 */
export function pendingDeploymentFile(chainId: bigint | string, dir: string): string {
  return path.join(dir, `${BigInt(chainId)}.pending.json`);
}

/** Records `deployment` as pending (atomically and durably), before any role is granted: its address is never lost. */
export async function writePendingDeployment(deployment: RegistryDeployment, dir: string): Promise<string> {
  const file = pendingDeploymentFile(deployment.chainId, dir);
  await mkdir(dir, { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return file;
}

/** The pending deployment on `chainId`, or undefined when there is none. */
export async function readPendingDeployment(chainId: bigint | string, dir: string): Promise<RegistryDeployment | undefined> {
  const file = pendingDeploymentFile(chainId, dir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidDeploymentFileError(file, "it is not JSON");
  }
  const record = (value ?? {}) as Record<string, unknown>;
  if (record.format !== "credreg-deployment-v1") throw new InvalidDeploymentFileError(file, `format is ${JSON.stringify(record.format)}, expected "credreg-deployment-v1"`);
  if (record.chainId !== BigInt(chainId).toString()) throw new InvalidDeploymentFileError(file, `it records chain ${String(record.chainId)}, not ${chainId}`);
  if (typeof record.address !== "string" || !isAddress(record.address)) throw new InvalidDeploymentFileError(file, "address is not an Ethereum address");
  if (!Array.isArray(record.accreditors) || !record.accreditors.every((entry) => typeof entry === "string" && isAddress(entry))) {
    throw new InvalidDeploymentFileError(file, "accreditors is not a list of addresses");
  }
  return { ...(record as RegistryDeployment), address: getAddress(record.address) };
}

/** Removes the pending record of `chainId` (once the deployments file holds the finished deployment). */
export async function removePendingDeployment(chainId: bigint | string, dir: string): Promise<void> {
  await rm(pendingDeploymentFile(chainId, dir), { force: true });
}
