import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { getAddress, isAddress, type Provider } from "ethers";
import { DeploymentNotFoundError, DeploymentVanishedError, InvalidDeploymentFileError } from "../errors/chainErrors.ts";
import { writeFileAtomically } from "../fs/writeAtomically.ts";

/** What a deployment of the registry leaves behind: one file per chain, `deployments/<chainId>.json`. */
export type RegistryDeployment = {
  readonly format: "credreg-deployment-v1";
  readonly contract: "CredentialRegistry";
  /** Decimal chain id. */
  readonly chainId: string;
  readonly address: string;
  readonly blockNumber: number;
  /** The hash of the deployment block: a file whose block is no longer on the chain names a vanished deployment. */
  readonly blockHash?: string | undefined;
  readonly transactionHash: string;
  readonly deployer: string;
  readonly admin: string;
  readonly adminDelaySeconds: number;
  readonly accreditors: readonly string[];
  /** ISO 8601 time of the deployment block. */
  readonly deployedAt: string;
};

/** The deployments folder: `CREDREG_DEPLOYMENTS_DIR`, else `deployments/` under the working directory. */
export function defaultDeploymentsDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.CREDREG_DEPLOYMENTS_DIR ?? "deployments");
}

/** The file that records the deployment on `chainId`. */
export function deploymentFile(chainId: bigint | string, dir = defaultDeploymentsDir()): string {
  return path.join(dir, `${BigInt(chainId)}.json`);
}

/** Records `deployment` in its chain's file, atomically (temp file + rename): a crash never leaves half a file. */
export async function writeDeployment(deployment: RegistryDeployment, dir = defaultDeploymentsDir()): Promise<string> {
  const file = deploymentFile(deployment.chainId, dir);
  await mkdir(dir, { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return file;
}

/** Reads and checks the deployment recorded for `chainId`. */
export async function readDeployment(chainId: bigint | string, dir = defaultDeploymentsDir()): Promise<RegistryDeployment> {
  const file = deploymentFile(chainId, dir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new DeploymentNotFoundError(BigInt(chainId), file);
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidDeploymentFileError(file, "it is not JSON");
  }
  return checkDeployment(value, file, BigInt(chainId));
}

function checkDeployment(value: unknown, file: string, chainId: bigint): RegistryDeployment {
  if (value === null || typeof value !== "object") throw new InvalidDeploymentFileError(file, "it is not an object");
  const record = value as Record<string, unknown>;
  if (record.format !== "credreg-deployment-v1") {
    throw new InvalidDeploymentFileError(file, `format is ${JSON.stringify(record.format)}, expected "credreg-deployment-v1"`);
  }
  if (record.chainId !== chainId.toString()) {
    throw new InvalidDeploymentFileError(file, `it records chain ${String(record.chainId)}, not ${chainId}`);
  }
  if (typeof record.address !== "string" || !isAddress(record.address)) {
    throw new InvalidDeploymentFileError(file, "address is not an Ethereum address");
  }
  if (!Number.isSafeInteger(record.blockNumber) || (record.blockNumber as number) < 0) {
    throw new InvalidDeploymentFileError(file, "blockNumber is not a block number");
  }
  if (record.blockHash !== undefined && (typeof record.blockHash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(record.blockHash))) {
    throw new InvalidDeploymentFileError(file, "blockHash is not a block hash");
  }
  return { ...(record as RegistryDeployment), address: getAddress(record.address) };
}

/**
 * Checks that the deployment's block (by number and hash) is still on the chain `provider` serves; a file from before
 * block hashes were recorded is taken as it is.
 */
export async function requireLiveDeployment(deployment: RegistryDeployment, provider: Provider, dir = defaultDeploymentsDir()): Promise<void> {
  if (deployment.blockHash === undefined) return;
  const block = await provider.getBlock(deployment.blockNumber);
  if (block?.hash?.toLowerCase() !== deployment.blockHash.toLowerCase()) {
    throw new DeploymentVanishedError(deploymentFile(deployment.chainId, dir), BigInt(deployment.chainId), deployment.blockNumber, deployment.blockHash);
  }
}
