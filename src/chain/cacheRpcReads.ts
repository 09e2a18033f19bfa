import type { JsonRpcPayload, JsonRpcProvider, JsonRpcResult } from "ethers";

export type RpcReadCacheOptions = {
  /** How long the latest block number is reused (default 250 ms): the longest a new block can go unseen. */
  readonly blockNumberTtlMs?: number | undefined;
  /** Entries kept (least recently used dropped first; default 20,000). */
  readonly maxEntries?: number | undefined;
};

export type RpcReadCacheStats = { hits: number; misses: number; coalesced: number };

type Answer = { result?: unknown; error?: unknown };

/** Methods whose answer for the same parameters never changes (with a block number, not a tag, where one is given). */
function cacheKeyOf(call: JsonRpcPayload): string | undefined {
  const params = (call.params ?? []) as unknown[];
  switch (call.method) {
    case "eth_chainId":
      return "eth_chainId";
    case "eth_call": {
      // Only reads pinned to a block number: the state at a block does not change (a reorg aside, see docs/api.md).
      const block = params[1];
      return params.length === 2 && typeof block === "string" && /^0x[0-9a-f]+$/i.test(block) ? `eth_call:${JSON.stringify(params)}` : undefined;
    }
    case "eth_getLogs": {
      const filter = params[0] as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown } | undefined;
      const numbered = (value: unknown) => typeof value === "string" && /^0x[0-9a-f]+$/i.test(value);
      return filter !== undefined && (typeof filter.blockHash === "string" || (numbered(filter.fromBlock) && numbered(filter.toBlock))) ? `eth_getLogs:${JSON.stringify(params)}` : undefined;
    }
    case "eth_getBlockByNumber":
      return typeof params[0] === "string" && /^0x[0-9a-f]+$/i.test(params[0]) && params[1] === false ? `eth_getBlockByNumber:${params[0]}` : undefined;
    default:
      return undefined;
  }
}

/**
 * Caches and coalesces the reads a verifier makes, inside `provider` itself (every caller shares it): the chain id,
 * `eth_call` pinned to a block number, `eth_getLogs` over numbered blocks or a block hash, blocks by number, and
 * contract code once it exists (a registry is not upgradeable); the latest block number for `blockNumberTtlMs`, and
 * forgotten whenever this provider sends a transaction. Identical reads in flight at once are sent once. Errors are
 * never cached. Everything else (sending, receipts, nonces) passes through untouched.
 */
export function cacheRpcReads(provider: JsonRpcProvider, options: RpcReadCacheOptions = {}): RpcReadCacheStats {
  const stats: RpcReadCacheStats = { hits: 0, misses: 0, coalesced: 0 };
  const ttl = options.blockNumberTtlMs ?? 250;
  const maxEntries = options.maxEntries ?? 20_000;
  const cache = new Map<string, unknown>();
  const inFlight = new Map<string, Promise<Answer>>();
  let blockNumber: { value: unknown; at: number } | undefined;
  const remember = (key: string, value: unknown) => {
    cache.delete(key);
    cache.set(key, value);
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  };
  const send = provider._send.bind(provider);

  /** One call, through the cache: its answer (result or error). */
  const answer = (call: JsonRpcPayload, viaBatch: (call: JsonRpcPayload) => Promise<Answer>): Promise<Answer> => {
    const params = (call.params ?? []) as unknown[];
    if (call.method === "eth_sendRawTransaction" || call.method === "eth_sendTransaction") blockNumber = undefined;
    if (call.method === "eth_blockNumber" && blockNumber !== undefined && Date.now() - blockNumber.at < ttl) {
      stats.hits += 1;
      return Promise.resolve({ result: blockNumber.value });
    }
    const codeKey = call.method === "eth_getCode" ? `eth_getCode:${String(params[0]).toLowerCase()}` : undefined;
    const key = cacheKeyOf(call) ?? (codeKey !== undefined && cache.has(codeKey) ? codeKey : undefined);
    if (key !== undefined && cache.has(key)) {
      const value = cache.get(key);
      remember(key, value);
      stats.hits += 1;
      return Promise.resolve({ result: value });
    }
    const flightKey = `${call.method}:${JSON.stringify(params)}`;
    const pending = inFlight.get(flightKey);
    if (pending !== undefined && call.method !== "eth_sendRawTransaction" && call.method !== "eth_sendTransaction") {
      stats.coalesced += 1;
      return pending;
    }
    stats.misses += 1;
    const asked = Date.now();
    const promise = viaBatch(call).then((reply) => {
      if (reply.error === undefined) {
        if (key !== undefined) remember(key, reply.result);
        else if (codeKey !== undefined && typeof reply.result === "string" && reply.result !== "0x") remember(codeKey, reply.result);
        else if (call.method === "eth_blockNumber") blockNumber = { value: reply.result, at: asked };
      }
      return reply;
    });
    const coalescable = call.method.startsWith("eth_") && call.method !== "eth_sendRawTransaction" && call.method !== "eth_sendTransaction";
    if (coalescable) {
      inFlight.set(flightKey, promise);
      void promise.finally(() => inFlight.delete(flightKey)).catch(() => undefined);
    }
    return promise;
  };

  provider._send = async (payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> => {
    const calls = Array.isArray(payload) ? payload : [payload];
    // The calls not answered from the cache go out together, in one request, as ethers would have sent them.
    const outgoing: { call: JsonRpcPayload; resolve: (answer: Answer) => void; reject: (error: unknown) => void }[] = [];
    const answers = calls.map((call) =>
      answer(call, (forwarded) => new Promise<Answer>((resolve, reject) => outgoing.push({ call: forwarded, resolve, reject }))).then((reply) => ({ id: call.id, ...reply })),
    );
    if (outgoing.length > 0) {
      try {
        const replies = await send(outgoing.map((entry, index) => ({ ...entry.call, id: index })));
        for (const reply of replies) {
          const entry = outgoing[Number(reply.id)];
          if (entry === undefined) continue;
          entry.resolve("error" in reply ? { error: reply.error } : { result: (reply as JsonRpcResult).result });
        }
        for (const entry of outgoing) entry.resolve({ error: { code: -32603, message: "no answer to this call in the batch" } });
      } catch (error) {
        for (const entry of outgoing) entry.reject(error);
      }
    }
    // Errors go back in place, as the endpoint answered them (ethers' type says results only).
    return (await Promise.all(answers)) as unknown as JsonRpcResult[];
  };
  return stats;
}
