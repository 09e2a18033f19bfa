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
export { deployRegistryRecorded, type DeployRegistryRecordedParameters } from "./chain/deployRegistryRecorded.ts";
export { pendingDeploymentFile, readPendingDeployment, removePendingDeployment, writePendingDeployment } from "./chain/pendingDeployment.ts";
export { PendingDeploymentError } from "./errors/deploymentErrors.ts";
export { FileWriteError } from "./errors/fileErrors.ts";
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
export { type BatchRecord, type IssuerRecord, readAnchorTransaction, readBatchRecord, readIssuerRecord, readStatusWords } from "./chain/registryReads.ts";
export { describeReason, findReason, MAX_REASON, type ReasonCode, reasonCodes } from "./chain/reasonCodes.ts";
export { registryContract, registryInterface } from "./chain/registryContract.ts";
export { type SentTransaction, sendRegistryTransaction } from "./chain/sendRegistryTransaction.ts";
export { connectRpc, type ConnectRpcOptions } from "./chain/connectRpc.ts";

export { buildCredentialTree, type CredentialTree, MAX_BATCH_SIZE } from "./merkle/buildCredentialTree.ts";
export { credentialLeaf } from "./merkle/credentialLeaf.ts";
export type { Hex } from "./merkle/hex.ts";
export { processProof } from "./merkle/processProof.ts";

export { keccak256 } from "./crypto/keccak256.ts";

export { ACHIEVEMENT_TYPE, OB3_CONTEXT, PROOF_TYPE, STATUS_ENTRY_TYPE, VC_V2_CONTEXT } from "./credential/constants.ts";
export {
  type Achievement,
  type Alignment,
  type Anchor,
  type Credential,
  type CredentialProof,
  type CredentialResult,
  credentialSchema,
  type Evidence,
  type Identity,
  type Profile,
  proofSchema,
  type StatusEntry,
  type UnsignedCredential,
  unsignedCredentialSchema,
} from "./credential/credentialSchema.ts";
export {
  type AchievementInput,
  achievementInputSchema,
  type RecipientInput,
  recipientInputSchema,
} from "./credential/issuanceInputSchema.ts";
export { type Validation, validateCredential, validateUnsignedCredential } from "./credential/validateCredential.ts";
export { assertCanonicalizable, canonicalJson, SharedCanonicalForms } from "./credential/canonicalJson.ts";
export { iJsonProblems, JsonSyntaxProblem, ParsedJson, parseJsonText } from "./credential/parseJsonText.ts";
export { contentHashOf, credentialHashOf } from "./credential/hashCredential.ts";
export { hashEmailIdentity, normalizeEmail } from "./credential/hashEmailIdentity.ts";
export {
  buildUnsignedCredential,
  type CredentialRandomness,
  type CredentialTemplate,
  nowAsDateTime,
} from "./credential/buildUnsignedCredential.ts";
export { InvalidBatchFileError, InvalidCredentialError, NonCanonicalJsonError, type Problem } from "./errors/credentialErrors.ts";

export { attachProof } from "./batch/attachProof.ts";
export { buildBatch, type BuildBatchOptions } from "./batch/buildBatch.ts";
export {
  buildBatchFromRecipients,
  type BuildBatchFromRecipientsOptions,
  type RecipientBatch,
} from "./batch/buildBatchFromRecipients.ts";
export type { CredentialBatch } from "./batch/credentialBatch.ts";
export { checkInclusion, type InclusionCheck } from "./batch/checkInclusion.ts";
export { type BatchFileEntry, type BatchFileHeader, type LoadedBatch, readBatchFile, writeBatchFile } from "./batch/batchFile.ts";
export { shuffledIndices } from "./batch/shuffledIndices.ts";

export { type CredregConfig, type ConfigFlags, DEFAULT_RPC_URL, resolveConfig } from "./config/resolveConfig.ts";
export { loadSigner } from "./config/loadSigner.ts";
export { type BatchState, IssuerStore, type StoredBatch, type StoredCredential, type StoredTransaction } from "./store/IssuerStore.ts";
export { StoreError } from "./errors/storeErrors.ts";
export { ChainActionError, InvalidInputError } from "./errors/issuerErrors.ts";
export { type ChainContext, connectSigner, openChain, requireActiveIssuer } from "./chain/openChain.ts";
export { issueBatch, type IssueOptions, type IssueResult, type OutputFormat } from "./issuer/issueBatch.ts";
export { changeStatuses, parseIndices, parseReason, revokeWholeBatch, type StatusAction, type StatusChangeResult, type StatusTarget, targetsFromFiles } from "./issuer/changeStatuses.ts";
export { CSV_COLUMNS, readRecipients, type ReadRecipients, type RecipientRow, type RejectedRow } from "./issuer/readRecipients.ts";
export { type CsvRecord, CsvSyntaxError, parseCsv } from "./issuer/parseCsv.ts";
export { LocalNodeError, type LocalNode, startHardhatNode } from "./devnet/startHardhatNode.ts";
export { verifyCredential, verifyCredentials } from "./verifier/verifyCredentials.ts";
export { PORTFOLIO_FORMAT, type Portfolio, type PortfolioOptions, summarisePortfolio } from "./portfolio/summarisePortfolio.ts";
export { readPathwayFiles, verifyPortfolio } from "./portfolio/verifyPortfolio.ts";
export { portfolioOf, verifyPortfolioCredentials } from "./portfolio/verifyPortfolioCredentials.ts";
export { readZipArchive, type ZipContents, type ZipLimits } from "./portfolio/readZipArchive.ts";
export { type Pathway, pathwayFromValue } from "./stacking/pathwayFromValue.ts";
export { readPathway } from "./stacking/readPathway.ts";
export { type StackHolder, type StackOptions, type StackResult, stackCredentials } from "./stacking/stackCredentials.ts";
export { evaluatePathwayRule, type RuleOutcome } from "./stacking/evaluatePathwayRule.ts";
export { type ParallelOptions, verifyInParallel } from "./verifier/verifyInParallel.ts";
export { BulkVerification } from "./verifier/BulkVerification.ts";
export type { ShardItem, ShardOutcome } from "./verifier/VerificationShard.ts";
export { VerificationWorkerError } from "./errors/verifierErrors.ts";
export { PortfolioInvariantError, ZipArchiveError } from "./errors/portfolioErrors.ts";
export { type CredentialInput, readCredentialInput } from "./verifier/readCredentialInput.ts";
export { runSteps, STEP_TABLE } from "./verifier/runSteps.ts";
export {
  STEP_NAMES,
  type StepName,
  type StepStatus,
  type VerificationResult,
  type VerificationStatus,
  type VerificationStep,
  type VerifyAt,
  type VerifyOptions,
} from "./verifier/verificationTypes.ts";
export { AuditIndex, type AuditEvent, type AuditFilter } from "./audit/AuditIndex.ts";
export { AuditIndexError, indexRegistryEvents, type IndexOptions, type IndexReport } from "./audit/indexRegistryEvents.ts";
export { type AuditEntry, auditEntriesToCsv, auditEntriesToTable, toAuditEntry } from "./audit/auditTimeline.ts";
export { type BatchState as AuditBatchState, type CredentialState, type IssuerState, replayEvents } from "./audit/auditState.ts";
export { type ConsistencyReport, consistencyReport } from "./audit/consistencyReport.ts";
export { ApiError } from "./api/ApiError.ts";
export { type AppOptions, createApp } from "./api/createApp.ts";
export { type ApiContext, createApiContext } from "./api/apiContext.ts";
export { openapiDocument } from "./api/openapiDocument.ts";
export { type RunningServer, startServer } from "./api/startServer.ts";
