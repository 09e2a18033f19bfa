import { BaseError, type BaseErrorParameters } from "./BaseError.ts";

/** The JSON-RPC endpoint could not be reached or answered with an error. */
export class RpcUnavailableError extends BaseError {
  override name = "RpcUnavailableError";
  readonly url: string;

  constructor(url: string, parameters: BaseErrorParameters = {}) {
    super(`Could not reach the JSON-RPC endpoint at ${url}.`, {
      metaMessages: [
        "Check the URL (CREDREG_RPC_URL or --rpc-url) and that the node is running.",
        "For a local node: npm run node",
      ],
      ...parameters,
    });
    this.url = url;
  }
}

/** No deployment of the registry is recorded for this chain. */
export class DeploymentNotFoundError extends BaseError {
  override name = "DeploymentNotFoundError";
  readonly chainId: bigint;

  constructor(chainId: bigint, file: string) {
    super(`No CredentialRegistry deployment is recorded for chain ${chainId}.`, {
      metaMessages: [
        `Looked for ${file}.`,
        "Deploy one (npx hardhat run scripts/deploy.ts --network <name>) or give its address with CREDREG_REGISTRY.",
      ],
    });
    this.chainId = chainId;
  }
}

/** A deployments file exists but is not a valid deployment record. */
export class InvalidDeploymentFileError extends BaseError {
  override name = "InvalidDeploymentFileError";
  readonly file: string;

  constructor(file: string, problem: string) {
    super(`The deployment file ${file} is not valid: ${problem}.`, {
      metaMessages: ["Redeploy to regenerate it, or fix the file by hand (format: credreg-deployment-v1)."],
    });
    this.file = file;
  }
}

/** There is no contract code at the registry address on this chain. */
export class RegistryNotFoundError extends BaseError {
  override name = "RegistryNotFoundError";
  readonly address: string;
  readonly chainId: bigint;

  constructor(address: string, chainId: bigint) {
    super(`There is no contract at ${address} on chain ${chainId}.`, {
      metaMessages: ["Check CREDREG_REGISTRY and CREDREG_RPC_URL: the address must be a CredentialRegistry on this chain."],
    });
    this.address = address;
    this.chainId = chainId;
  }
}

/** The registry rejected a transaction with one of its custom errors (decoded). */
export class RegistryRevertedError extends BaseError {
  override name = "RegistryRevertedError";
  readonly errorName: string;
  readonly args: Record<string, unknown>;

  constructor(errorName: string, args: Record<string, unknown>, explanation: string, parameters: BaseErrorParameters = {}) {
    super(`The registry rejected the transaction: ${explanation}`, {
      details: `${errorName}(${Object.entries(args)
        .map(([key, value]) => `${key}: ${String(value)}`)
        .join(", ")})`,
      ...parameters,
    });
    this.errorName = errorName;
    this.args = args;
  }
}

/** The compiled contract artifacts are missing. */
export class ArtifactNotFoundError extends BaseError {
  override name = "ArtifactNotFoundError";

  constructor(file: string) {
    super(`The compiled CredentialRegistry artifact is missing (${file}).`, {
      metaMessages: ["Compile the contracts first: npm run build"],
    });
  }
}

/** The deployments file names a deployment block that is no longer on the chain: the chain was reset or replaced. */
export class DeploymentVanishedError extends BaseError {
  override name = "DeploymentVanishedError";
  readonly file: string;
  readonly chainId: bigint;

  constructor(file: string, chainId: bigint, blockNumber: number, blockHash: string) {
    super(`The registry recorded in ${file} was deployed in block ${blockNumber} (${blockHash.slice(0, 10)}…), which chain ${chainId} no longer has: the chain was reset, so deploy again with credreg deploy.`, {
      metaMessages: ["credreg deploy overwrites the file; the issuer store keeps the vanished chain's records apart."],
    });
    this.file = file;
    this.chainId = chainId;
  }
}

/** The RPC serves another chain than the configured one (CREDREG_CHAIN_ID / --chain-id / chainId): exit code 2 in every command. */
export class WrongChainError extends BaseError {
  override name = "WrongChainError";
  readonly expected: bigint;
  readonly actual: bigint;

  constructor(expected: bigint, actual: bigint) {
    super(`The RPC serves chain ${actual}, not the configured chain ${expected}.`, {
      metaMessages: ["Point CREDREG_RPC_URL at the right network, or fix CREDREG_CHAIN_ID / --chain-id / chainId in the config file."],
    });
    this.expected = expected;
    this.actual = actual;
  }
}
