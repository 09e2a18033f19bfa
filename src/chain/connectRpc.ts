import { FetchRequest, JsonRpcProvider, Network } from "ethers";
import { RpcUnavailableError } from "../errors/chainErrors.ts";
import { classifyRpcError } from "./classifyRpcError.ts";

export type ConnectRpcOptions = {
  /** How often ethers polls for new blocks and receipts (default 1,000 ms; a local node wants less). */
  pollingIntervalMs?: number | undefined;
  /** How long to wait for the endpoint's chain id before giving up (default 10,000 ms). */
  timeoutMs?: number | undefined;
  /** Time limit of every later JSON-RPC request (default 30,000 ms). */
  requestTimeoutMs?: number | undefined;
  /** Times a rate-limited JSON-RPC answer is asked again (default 6), first after `rateLimitPauseMs` (default 250), doubling. */
  rateLimitRetries?: number | undefined;
  rateLimitPauseMs?: number | undefined;
};

/**
 * Connects to an EVM JSON-RPC endpoint over HTTP(S), checks that it answers `eth_chainId`, and returns a provider
 * pinned to that chain, counting its calls in `stats`. An unreachable or malformed endpoint is an {@link RpcUnavailableError} saying what to check
 * (never ethers' endless "failed to detect network" retries).
 */
/** JSON-RPC calls made through a provider (ethers batches concurrent calls into one HTTP request). */
export type RpcStats = { requests: number; httpRequests: number; rateLimited: number };

export async function connectRpc(
  url: string,
  options: ConnectRpcOptions = {},
): Promise<{ provider: JsonRpcProvider; chainId: bigint; stats: RpcStats }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RpcUnavailableError(url, { details: "not a URL (expected http://... or https://...)" });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new RpcUnavailableError(url, { details: `unsupported scheme ${parsed.protocol} (use http:// or https://)` });
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  let chainId: bigint;
  try {
    const response = await fetch(parsed, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
    if (typeof body.result !== "string") throw new Error(body.error?.message ?? "eth_chainId returned no result");
    chainId = BigInt(body.result);
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    throw new RpcUnavailableError(url, { details: reason, cause: error });
  }
  // Every later call gets the same time limit: an endpoint that stops answering fails, it does not hang.
  const request = new FetchRequest(parsed.toString());
  request.timeout = options.requestTimeoutMs ?? 30_000;
  const provider = new JsonRpcProvider(request, undefined, {
    pollingInterval: options.pollingIntervalMs ?? 1000,
    staticNetwork: Network.from(chainId),
    // No response cache: a cached eth_getTransactionCount would hand out a used nonce to back-to-back sends.
    cacheTimeout: -1,
    // Calls go out at once (those made in the same tick still share one request): ethers' default waits 10 ms.
    batchStallTime: 0,
    // ethers re-serializes a batch for every call it adds (quadratic): small batches keep a busy server cheap.
    batchMaxCount: 16,
  });
  const stats: RpcStats = { requests: 1, httpRequests: 1, rateLimited: 0 }; // the eth_chainId above
  const send = provider._send.bind(provider);
  const maxRetries = options.rateLimitRetries ?? 6;
  provider._send = async (payload) => {
    // Public RPCs rate-limit: a JSON-RPC "rate limit" answer is waited out and asked again (ethers itself retries
    // HTTP 429), a few times with growing pauses, before the error goes to the caller.
    for (let attempt = 0; ; attempt += 1) {
      stats.requests += Array.isArray(payload) ? payload.length : 1;
      stats.httpRequests += 1;
      const results = await send(payload);
      const limited = results.some((result) => "error" in result && classifyRpcError({ error: result.error }) === "rateLimited");
      if (!limited || attempt >= maxRetries) return results;
      stats.rateLimited += 1;
      await new Promise((resolve) => setTimeout(resolve, (options.rateLimitPauseMs ?? 250) * 2 ** attempt));
    }
  };
  return { provider, chainId, stats };
}
