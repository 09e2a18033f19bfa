import type { JsonRpcProvider } from "ethers";
import type { OnChainCredentialStatus } from "../chain/readCredentialStatus.ts";
import type { InclusionCheck } from "../batch/checkInclusion.ts";
import type { Credential } from "../credential/credentialSchema.ts";
import type { Problem } from "../errors/credentialErrors.ts";
import type { SigningKeyRecord } from "../chain/keyRegistryReads.ts";
import type { StackedRead } from "./readCredentialCore.ts";

/** The steps of a verification, in the order they are reported. */
export const STEP_NAMES = ["format", "integrity", "inclusion", "anchor", "issuer", "signature", "status", "components", "validity", "chain", "recipient"] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type StepStatus = "passed" | "failed" | "skipped";

/** One named check: its outcome, a sentence for people, and details for machines. */
export type VerificationStep = {
  readonly name: StepName;
  readonly status: StepStatus;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
};

/**
 * `valid`: every required step passed (and only then); `invalid`: a step failed; `error`: could not verify (the chain
 * could not be read, no contract, or a required step could not run).
 */
export type VerificationStatus = "valid" | "invalid" | "error";

export type VerificationResult = {
  readonly status: VerificationStatus;
  readonly steps: readonly VerificationStep[];
  /** What the credential says, for display (when its format allows reading it). */
  readonly summary: {
    readonly credentialId?: string | undefined;
    readonly holder?: string | undefined;
    readonly achievement?: string | undefined;
    readonly issuerProfileId?: string | undefined;
    readonly issuerName?: string | undefined;
    readonly root?: string | undefined;
    readonly leafIndex?: number | undefined;
  };
  /** Why the verification could not be completed (status `error`). */
  readonly error?: { readonly code: string; readonly message: string } | undefined;
};

/** A point in time to verify at: a date, or a block of the credential's chain. */
export type VerifyAt = { readonly date: Date } | { readonly block: number };

export type VerifyOptions = {
  /** The JSON-RPC endpoint of the credential's chain (or `provider`). */
  readonly rpcUrl?: string | undefined;
  readonly provider?: JsonRpcProvider | undefined;
  /** The registry addresses to trust (a file naming any other registry fails at `chain`). */
  readonly trustedRegistries: readonly string[];
  /** Where the trust in each registry and issuer came from (by lower-case address), shown in the steps' results. */
  readonly trustSources?: Readonly<Record<string, string>> | undefined;
  /** If given, only these issuer addresses are trusted (else any accredited issuer of the registry). */
  readonly trustedIssuers?: readonly string[] | undefined;
  /** Confirmations the anchor needs (default 1). */
  readonly confirmations?: number | undefined;
  /** Verify as of this moment instead of now (uses event block times). */
  readonly at?: VerifyAt | undefined;
  /** Confirm the credential was issued to this e-mail address (Open Badges 3.0 hashed identity). */
  readonly recipient?: string | undefined;
  /** Calls in flight at once (default 8). */
  readonly concurrency?: number | undefined;
  /**
   * Above this many credentials (default 20), statuses are composed from each batch record and status word read
   * once, with the Merkle proofs checked off chain, instead of the registry's credentialStatuses view.
   */
  readonly bulkThreshold?: number | undefined;
  /** Per-call RPC timeout (default 15 s). */
  readonly timeoutMs?: number | undefined;
};

/** A status change of one credential (or of its whole batch) read from the registry's events. */
export type StatusEvent = {
  readonly kind: "revoked" | "suspended" | "reinstated" | "batchRevoked";
  readonly reason: number;
  readonly blockNumber: number;
  readonly blockTime: number;
  readonly transactionHash: string;
  readonly logIndex: number;
};

/** The registry's view of an issuer. */
export type IssuerFacts = {
  readonly name: string;
  readonly profileId: string;
  readonly accreditedAt: number;
  readonly deactivatedAt: number;
  readonly deactivationReason: number;
};

/** Everything the steps look at, gathered once per credential by the runner. */
export type CredentialFacts = {
  readonly credential: Credential | undefined;
  readonly formatProblems: readonly Problem[];
  readonly hashes: InclusionCheck | undefined;
  /** Why `hashes` could not be computed (an exception while hashing), when they could not. */
  readonly hashError?: string | undefined;
  /** The moment checked: unix seconds, and the block when `at` named one. */
  readonly at: { readonly time: number; readonly block?: number | undefined; readonly explicit: boolean };
  readonly rpc: { readonly ok: true; readonly chainId: bigint; readonly latestBlock: number } | { readonly ok: false; readonly code: string; readonly message: string } | undefined;
  /** The registry named by the file is trusted and has code (undefined when not checked). */
  readonly registry: { readonly trusted: boolean; readonly hasCode: boolean | undefined } | undefined;
  readonly onChain: OnChainCredentialStatus | undefined;
  readonly issuer: IssuerFacts | undefined;
  /** This credential's status events and its batch's, oldest first (read when needed). */
  readonly history: readonly StatusEvent[] | undefined;
  /**
   * The transaction whose BatchAnchored event (of this issuer and root) is in the anchor block the registry records;
   * null when that block holds none, undefined when it was not read.
   */
  readonly anchorTransaction?: string | null | undefined;
  /** Format v2: the signed document and its key (from the file), and what was found of them. */
  readonly signed?: { readonly document: object; readonly keyId: string } | undefined;
  /** Format v2: whether the Data Integrity signature verifies (published libraries, packaged contexts only). */
  readonly signature?: SignatureCheck | undefined;
  /** Format v2: the key registry's record of the signing key; null when the registry has no key registry. */
  readonly signingKey?: SigningKeyRecord | null | undefined;
  /** A stacked credential: its pathway and components as read, and each component's facts (by its index). */
  readonly stacked?: StackedRead | undefined;
  readonly componentFacts?: readonly CredentialFacts[] | undefined;
  readonly options: VerifyOptions;
};

/** The outcome of checking a format v2 signature. */
export type SignatureCheck = { readonly verified: boolean; readonly message: string };
