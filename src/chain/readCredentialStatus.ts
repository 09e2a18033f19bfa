import type { Contract } from "ethers";

/** The registry's answer about one credential (the contract's `CredentialStatus`, with plain numbers). */
export type OnChainCredentialStatus = {
  readonly proofValid: boolean;
  readonly indexInRange: boolean;
  readonly revoked: boolean;
  readonly suspended: boolean;
  readonly batchRevoked: boolean;
  readonly leafCount: number;
  /** Unix seconds; 0 when `(issuer, root)` is not anchored. */
  readonly anchoredAt: number;
  readonly anchoredBlock: number;
  readonly batchRevokedAt: number;
  readonly batchRevocationReason: number;
  readonly issuerAccreditedAt: number;
  readonly issuerDeactivatedAt: number;
};

/** One credential to ask about. */
export type CredentialStatusQuery = {
  readonly issuer: string;
  readonly root: string;
  readonly index: number | bigint;
  readonly credentialHash: string;
  readonly proof: readonly string[];
};

export type RawStatus = {
  proofValid: boolean;
  indexInRange: boolean;
  revoked: boolean;
  suspended: boolean;
  batchRevoked: boolean;
  leafCount: bigint;
  anchoredAt: bigint;
  anchoredBlock: bigint;
  batchRevokedAt: bigint;
  batchRevocationReason: bigint;
  issuerAccreditedAt: bigint;
  issuerDeactivatedAt: bigint;
};

/** The contract's `CredentialStatus` (as ethers decodes it) with plain numbers. */
export function toOnChainStatus(raw: RawStatus): OnChainCredentialStatus {
  return {
    proofValid: raw.proofValid,
    indexInRange: raw.indexInRange,
    revoked: raw.revoked,
    suspended: raw.suspended,
    batchRevoked: raw.batchRevoked,
    leafCount: Number(raw.leafCount),
    anchoredAt: Number(raw.anchoredAt),
    anchoredBlock: Number(raw.anchoredBlock),
    batchRevokedAt: Number(raw.batchRevokedAt),
    batchRevocationReason: Number(raw.batchRevocationReason),
    issuerAccreditedAt: Number(raw.issuerAccreditedAt),
    issuerDeactivatedAt: Number(raw.issuerDeactivatedAt),
  };
}

/** Everything the registry knows about one credential, from one `eth_call` to `credentialStatus`. */
export async function readCredentialStatus(registry: Contract, query: CredentialStatusQuery): Promise<OnChainCredentialStatus> {
  const raw = (await registry.getFunction("credentialStatus")(
    query.issuer,
    query.root,
    query.index,
    query.credentialHash,
    query.proof,
  )) as RawStatus;
  return toOnChainStatus(raw);
}

/**
 * How many credentials go in one `credentialStatuses` call by default. One `eth_call` is capped in gas
 * (16,777,216 on Hardhat and post-Osaka chains, calldata floor included): 1,000 credentials with depth-10 proofs
 * already exceed it, 200 stay well below.
 */
export const DEFAULT_STATUS_CHUNK_SIZE = 200;

/**
 * {@link readCredentialStatus} for many credentials, `chunkSize` per `eth_call` to `credentialStatuses`, the calls
 * made one after another; results in the order of `queries`.
 */
export async function readCredentialStatuses(
  registry: Contract,
  queries: readonly CredentialStatusQuery[],
  chunkSize = DEFAULT_STATUS_CHUNK_SIZE,
  blockTag?: number,
): Promise<OnChainCredentialStatus[]> {
  const statuses: OnChainCredentialStatus[] = [];
  for (let start = 0; start < queries.length; start += chunkSize) {
    const chunk = queries.slice(start, start + chunkSize);
    const raw = (await registry.getFunction("credentialStatuses")(
      chunk.map((query) => [query.issuer, query.root, query.index, query.credentialHash, query.proof]),
      ...(blockTag === undefined ? [] : [{ blockTag }]),
    )) as RawStatus[];
    statuses.push(...raw.map(toOnChainStatus));
  }
  return statuses;
}
