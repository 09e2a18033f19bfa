import type { SigningKeyRecord } from "../chain/keyRegistryReads.ts";
import type { OnChainCredentialStatus } from "../chain/readCredentialStatus.ts";
import type { InclusionCheck } from "../batch/checkInclusion.ts";
import type { AnchoredCredential } from "./chainKeys.ts";
import { ChainFactsGatherer } from "./ChainFactsGatherer.ts";
import type { CredentialFacts, IssuerFacts, StatusEvent, VerifyOptions } from "./verificationTypes.ts";

/** A credential whose format passed, with its place in the input. */
export type ChainQuery = {
  readonly position: number;
  readonly credential: AnchoredCredential;
  readonly hashes: InclusionCheck | undefined;
  /** Format v2: the signing key (bytes32) whose binding the key registry is asked about. */
  readonly signingKey?: string | undefined;
};

/** What the chain said, for every credential asked about (by position), gathered in bulk. */
export type ChainFacts = {
  readonly rpc: CredentialFacts["rpc"];
  readonly at: CredentialFacts["at"];
  /** By lower-case registry address: whether a contract is there. */
  readonly codeAt: ReadonlyMap<string, boolean>;
  readonly onChain: ReadonlyMap<number, OnChainCredentialStatus>;
  /** By `registry:issuer` (lower case). */
  readonly issuers: ReadonlyMap<string, IssuerFacts>;
  readonly histories: ReadonlyMap<number, StatusEvent[]>;
  /** By `registry:issuer:root` (lower case): the transaction of the BatchAnchored log in the recorded anchor block. */
  readonly anchorTransactions: ReadonlyMap<string, string | null>;
  /** By `registry:key` (lower case): the key registry's record of a signing key; null when the registry has no key registry. */
  readonly signingKeys: ReadonlyMap<string, SigningKeyRecord | null>;
};

/**
 * Asks the chain, in bulk, everything the steps need about `queries`: chain id and latest block, code at each
 * trusted registry, each credential's status (the `credentialStatuses` view for few credentials; batch records and
 * status words with the proofs checked off chain for many), each issuer's record, each batch's anchoring
 * transaction, and status events where needed. An RPC failure is recorded in `rpc`, never thrown.
 */
export async function gatherChainFacts(queries: readonly ChainQuery[], options: VerifyOptions): Promise<ChainFacts> {
  const gatherer = new ChainFactsGatherer(options);
  gatherer.add(queries);
  return gatherer.finish();
}
