import { SERVER_BUSY_TIMEOUT_MS } from "../store/openStoreDatabase.ts";
import type { Logger } from "pino";
import { AuditIndex } from "../audit/AuditIndex.ts";
import { indexRegistryEvents, type IndexReport } from "../audit/indexRegistryEvents.ts";
import type { ChainContext } from "../chain/openChain.ts";
import { cacheRpcReads, type RpcReadCacheOptions, type RpcReadCacheStats } from "../chain/cacheRpcReads.ts";

/** What every route needs: the chain and its registry, the audit index (kept current on demand), a logger. */
export type ApiContext = {
  readonly chain: ChainContext;
  readonly audit: AuditIndex;
  readonly confirmations: number;
  readonly logger: Logger;
  /** Brings the audit index up to date (one update at a time; concurrent callers share it). */
  updateAuditIndex(): Promise<IndexReport>;
  /** Reads answered from the server's RPC cache, sent upstream, or shared with an identical read in flight. */
  readonly rpcCache: RpcReadCacheStats;
};

/**
 * What every route shares. The chain's provider caches and coalesces reads (see {@link cacheRpcReads}): the verifier
 * pins its reads to the latest block, so every answer reflects the chain as of a block at most `blockNumberTtlMs`
 * old (default 250 ms), and the same read is never sent twice for one block.
 */
export function createApiContext(chain: ChainContext, auditIndexFile: string, confirmations: number, logger: Logger, cache: RpcReadCacheOptions = {}): ApiContext {
  const rpcCache = cacheRpcReads(chain.provider, cache);
  const audit = AuditIndex.open(auditIndexFile, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  let running: Promise<IndexReport> | undefined;
  return {
    chain,
    audit,
    confirmations,
    logger,
    rpcCache,
    updateAuditIndex: () => {
      running ??= indexRegistryEvents({ provider: chain.provider, index: audit, chainId: chain.chainId, registry: chain.registryAddress, fromBlock: chain.fromBlock, confirmations }).finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
