import type { Contract } from "ethers";

/** How many credentials of a batch are revoked, and how many suspended (one by one; a batch revocation aside). */
export type BatchStatusCounts = { readonly revoked: number; readonly suspended: number };

export type BatchStatusCountsOptions = {
  /** Reads at most this many status words (256 credentials each): credentials past them are not counted. Default: every word. */
  readonly maxWords?: number;
  /** How many `statusWords` calls are in flight at once. Default 1: one after another. */
  readonly parallel?: number;
};

const bitCount = (word: bigint) => word.toString(2).replaceAll("0", "").length;

/**
 * Counts the revoked and the suspended credentials of the batch `(issuer, root)` of `leafCount` credentials, from
 * the registry's status words (`statusWords(issuer, root, word)`, one `eth_call` per 256 credentials).
 */
export async function readBatchStatusCounts(registry: Contract, issuer: string, root: string, leafCount: number, options: BatchStatusCountsOptions = {}): Promise<BatchStatusCounts> {
  const words = Math.min(Math.ceil(leafCount / 256), options.maxWords ?? Number.POSITIVE_INFINITY);
  const parallel = Math.max(1, options.parallel ?? 1);
  let revoked = 0;
  let suspended = 0;
  for (let start = 0; start < words; start += parallel) {
    const reads = await Promise.all(
      Array.from({ length: Math.min(parallel, words - start) }, (_, offset) => registry.getFunction("statusWords")(issuer, root, start + offset) as Promise<[bigint, bigint]>),
    );
    for (const [revokedBits, suspendedBits] of reads) {
      revoked += bitCount(revokedBits);
      suspended += bitCount(suspendedBits);
    }
  }
  return { revoked, suspended };
}
