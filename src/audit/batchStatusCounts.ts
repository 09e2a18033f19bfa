import type { Provider } from "ethers";
import { AuditIndex } from "./AuditIndex.ts";
import { replayEvents } from "./auditState.ts";
import { indexRegistryEvents } from "./indexRegistryEvents.ts";

/** How many credentials of a batch are revoked, and how many suspended (one by one; a batch revocation aside). */
export type BatchStatusCounts = { readonly revoked: number; readonly suspended: number };

/**
 * Exact counts of the revoked and the suspended credentials of `(issuer, root)`, replayed from the batch's events in
 * the audit index: the cost follows the number of status changes, never the batch's size (an issuer may anchor a
 * root with 2^32 − 1 leaves; reading its status words would take 16.7M calls). The index must be up to date.
 */
export function batchStatusCounts(index: AuditIndex, chainId: string, registry: string, issuer: string, root: string): BatchStatusCounts {
  const [issuerKey, rootKey] = [issuer.toLowerCase(), root.toLowerCase()];
  const batch = replayEvents(index.events(chainId, registry, { issuer: issuerKey, root: rootKey })).batches.get(`${issuerKey}:${rootKey}`);
  return { revoked: batch?.revoked ?? 0, suspended: batch?.suspended ?? 0 };
}

/** {@link batchStatusCounts} after bringing the audit index in `storeFile` up to date (what `credreg batch` does). */
export async function indexedBatchStatusCounts(options: {
  readonly provider: Provider;
  readonly storeFile: string;
  readonly chainId: bigint;
  readonly genesisHash: string;
  readonly registry: string;
  readonly fromBlock: number;
  readonly confirmations: number;
  readonly issuer: string;
  readonly root: string;
}): Promise<BatchStatusCounts> {
  const index = AuditIndex.open(options.storeFile);
  try {
    index.useChain(options.chainId.toString(), options.genesisHash);
    await indexRegistryEvents({ provider: options.provider, index, chainId: options.chainId, registry: options.registry, fromBlock: options.fromBlock, confirmations: options.confirmations });
    return batchStatusCounts(index, options.chainId.toString(), options.registry, options.issuer, options.root);
  } finally {
    index.close();
  }
}
