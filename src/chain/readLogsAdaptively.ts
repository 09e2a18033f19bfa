import type { Log, Provider } from "ethers";
import { BaseError } from "../errors/BaseError.ts";
import { classifyRpcError, rpcErrorFacts } from "./classifyRpcError.ts";

/** A log as the JSON-RPC returns it, with numbers decoded (no ethers Log objects: 100,000 of them are slow). */
export type RawLog = { blockNumber: number; blockHash: string; transactionHash: string; index: number; topics: string[]; data: string };

/** Which logs: one contract, and optionally topics (each position: one topic, any of several, or null for any). */
export type LogQuery = { readonly address: string; readonly topics?: readonly (string | readonly string[] | null)[] | undefined };

/** What reading cost: calls made, ranges halved, retries after failures, and how many of those were rate limits. */
export type LogReadStats = { getLogsCalls: number; rangeReductions: number; retries: number; rateLimited: number };

export type ReadLogsOptions = {
  /** First range, in blocks (default 2,000); halved when the RPC refuses a range, doubled while results stay small. */
  readonly initialChunk?: number | undefined;
  readonly maxChunk?: number | undefined;
  /** Failed calls in a row before giving up (default 6; rate limits wait longer but count the same). */
  readonly maxFailures?: number | undefined;
  /** Counters to add to (shared by the caller across reads). */
  readonly stats?: LogReadStats | undefined;
  /** Waits between retries (tests pass a faster one). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
};

/** The chain's logs cannot be read: an RPC that keeps failing, or keeps refusing a range of a single block. */
export class LogReadError extends BaseError {
  override name = "LogReadError";
}

const hex = (block: number) => `0x${block.toString(16)}`;

async function getRawLogs(provider: Provider, query: LogQuery, fromBlock: number, toBlock: number): Promise<RawLog[]> {
  const send = (provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
  if (typeof send !== "function") {
    const logs: Log[] = await provider.getLogs({ address: query.address, topics: query.topics as (string | string[] | null)[] | undefined, fromBlock, toBlock });
    return logs.map((log) => ({ blockNumber: log.blockNumber, blockHash: log.blockHash, transactionHash: log.transactionHash, index: log.index, topics: [...log.topics], data: log.data }));
  }
  const raw = (await send.call(provider, "eth_getLogs", [{ address: query.address, ...(query.topics ? { topics: query.topics } : {}), fromBlock: hex(fromBlock), toBlock: hex(toBlock) }])) as {
    blockNumber: string;
    blockHash: string;
    transactionHash: string;
    logIndex: string;
    topics: string[];
    data: string;
    removed?: boolean;
  }[];
  return raw
    .filter((log) => log.removed !== true)
    .map((log) => ({ blockNumber: Number(log.blockNumber), blockHash: log.blockHash, transactionHash: log.transactionHash, index: Number(log.logIndex), topics: log.topics, data: log.data }));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one way logs are read: `eth_getLogs` of `query` from `fromBlock` to `toBlock`, in ranges that adapt to the RPC
 * (halved when it refuses a range, doubled while results stay small), retrying rate limits (longer waits, same range)
 * and other failures (back-off), yielding each range's logs in block order. Throws {@link LogReadError} after
 * `maxFailures` failures in a row.
 */
export async function* readLogsAdaptively(provider: Provider, query: LogQuery, fromBlock: number, toBlock: number, options: ReadLogsOptions = {}): AsyncGenerator<{ fromBlock: number; toBlock: number; logs: RawLog[] }> {
  const stats = options.stats ?? { getLogsCalls: 0, rangeReductions: 0, retries: 0, rateLimited: 0 };
  const maxChunk = options.maxChunk ?? 100_000;
  const maxFailures = options.maxFailures ?? 6;
  const sleep = options.sleep ?? defaultSleep;
  let chunk = Math.min(options.initialChunk ?? 2000, maxChunk);
  let failures = 0;
  let from = fromBlock;
  while (from <= toBlock) {
    const to = Math.min(toBlock, from + chunk - 1);
    let logs: RawLog[];
    try {
      stats.getLogsCalls += 1;
      logs = await getRawLogs(provider, query, from, to);
    } catch (error) {
      const kind = classifyRpcError(error);
      if (kind === "rangeTooLarge" && chunk > 1) {
        chunk = Math.max(1, Math.floor(chunk / 2));
        stats.rangeReductions += 1;
        continue;
      }
      failures += 1;
      stats.retries += 1;
      if (kind === "rateLimited") stats.rateLimited += 1;
      if (failures > maxFailures) {
        const { text } = rpcErrorFacts(error);
        throw new LogReadError(`Reading the registry's events failed${kind === "rateLimited" ? " (the RPC keeps rate-limiting)" : ""}: ${text || String(error)}.`, {
          metaMessages: [kind === "rateLimited" ? "Wait, or use an RPC plan with a higher rate limit, then run again." : "Check the RPC endpoint, then run again."],
          cause: error,
        });
      }
      await sleep((kind === "rateLimited" ? 500 : 200) * 2 ** Math.min(failures, 5));
      continue;
    }
    failures = 0;
    yield { fromBlock: from, toBlock: to, logs };
    from = to + 1;
    if (logs.length < 2000 && chunk < maxChunk) chunk = Math.min(maxChunk, chunk * 2);
  }
}

/** {@link readLogsAdaptively}, all ranges collected into one list (for reads known to be small). */
export async function readAllLogs(provider: Provider, query: LogQuery, fromBlock: number, toBlock: number, options: ReadLogsOptions = {}): Promise<RawLog[]> {
  const logs: RawLog[] = [];
  for await (const range of readLogsAdaptively(provider, query, fromBlock, toBlock, options)) logs.push(...range.logs);
  return logs;
}
