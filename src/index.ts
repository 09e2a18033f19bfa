export { BaseError, type BaseErrorParameters } from "./errors/BaseError.ts";
export {
  ArtifactNotFoundError,
  DeploymentNotFoundError,
  InvalidDeploymentFileError,
  RegistryNotFoundError,
  RegistryRevertedError,
  RpcUnavailableError,
} from "./errors/chainErrors.ts";
export { InvalidConfigError } from "./errors/configErrors.ts";
export { InvalidMerkleInputError } from "./errors/merkleErrors.ts";

export { credentialRegistryAbi, credentialRegistryBytecode } from "./chain/credentialRegistryArtifact.ts";
export { decodeRegistryError } from "./chain/decodeRegistryError.ts";
export { DEFAULT_ADMIN_DELAY_SECONDS, deployRegistry, type DeployRegistryParameters } from "./chain/deployRegistry.ts";
export {
  defaultDeploymentsDir,
  deploymentFile,
  readDeployment,
  type RegistryDeployment,
  writeDeployment,
} from "./chain/deployments.ts";
export {
  type CredentialStatusQuery,
  DEFAULT_STATUS_CHUNK_SIZE,
  type OnChainCredentialStatus,
  readCredentialStatus,
  readCredentialStatuses,
} from "./chain/readCredentialStatus.ts";
export { describeReason, findReason, MAX_REASON, type ReasonCode, reasonCodes } from "./chain/reasonCodes.ts";
export { registryContract, registryInterface } from "./chain/registryContract.ts";
export { type SentTransaction, sendRegistryTransaction } from "./chain/sendRegistryTransaction.ts";

export { buildCredentialTree, type CredentialTree, MAX_BATCH_SIZE } from "./merkle/buildCredentialTree.ts";
export { credentialLeaf } from "./merkle/credentialLeaf.ts";
export type { Hex } from "./merkle/hex.ts";
export { processProof } from "./merkle/processProof.ts";
