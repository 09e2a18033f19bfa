import { SERVER_BUSY_TIMEOUT_MS } from "../store/openStoreDatabase.ts";
import type { Logger } from "pino";
import { AuditIndex } from "../audit/AuditIndex.ts";
import { indexRegistryEvents, type IndexReport } from "../audit/indexRegistryEvents.ts";
import type { ChainContext } from "../issuer/openChain.ts";

/** What every route needs: the chain and its registry, the audit index (kept current on demand), a logger. */
export type ApiContext = {
  readonly chain: ChainContext;
  readonly audit: AuditIndex;
  readonly confirmations: number;
  readonly logger: Logger;
  /** Brings the audit index up to date (one update at a time; concurrent callers share it). */
  updateAuditIndex(): Promise<IndexReport>;
};

export function createApiContext(chain: ChainContext, auditIndexFile: string, confirmations: number, logger: Logger): ApiContext {
  const audit = AuditIndex.open(auditIndexFile, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  let running: Promise<IndexReport> | undefined;
  return {
    chain,
    audit,
    confirmations,
    logger,
    updateAuditIndex: () => {
      running ??= indexRegistryEvents({ provider: chain.provider, index: audit, chainId: chain.chainId, registry: chain.registryAddress, fromBlock: chain.fromBlock, confirmations }).finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
