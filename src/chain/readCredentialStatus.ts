import type { Contract, Provider } from "ethers";
import { registryInterface } from "./registryContract.ts";
import { rawEthCall } from "./registryReads.ts";

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
/** Calldata by query and answers by returned data: encoding and decoding are pure, and a server asks the same often. */
const encoded = new Map<string, string>();
const decoded = new Map<string, readonly OnChainCredentialStatus[]>();
const MEMO_ENTRIES = 2_000;
function memo<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
    if (map.size > MEMO_ENTRIES) map.delete(map.keys().next().value!);
  }
  return value;
}

export async function readCredentialStatuses(
  registry: Contract,
  queries: readonly CredentialStatusQuery[],
  chunkSize = DEFAULT_STATUS_CHUNK_SIZE,
  blockTag?: number,
): Promise<OnChainCredentialStatus[]> {
  const statuses: OnChainCredentialStatus[] = [];
  const address = await registry.getAddress();
  for (let start = 0; start < queries.length; start += chunkSize) {
    const chunk = queries.slice(start, start + chunkSize);
    const args = chunk.map((query) => [query.issuer, query.root, query.index, query.credentialHash, query.proof]);
    const data = memo(encoded, JSON.stringify(args, (_key, value) => (typeof value === "bigint" ? value.toString() : value)), () => registryInterface.encodeFunctionData("credentialStatuses", [args]));
    const answer = await rawEthCall(registry.runner as Provider, address, data, blockTag);
    statuses.push(...memo(decoded, answer, () => (registryInterface.decodeFunctionResult("credentialStatuses", answer)[0] as RawStatus[]).map(toOnChainStatus)));
  }
  return statuses;
}
