import { FetchRequest, JsonRpcProvider, Network } from "ethers";
import { RpcUnavailableError } from "../errors/chainErrors.ts";

export type ConnectRpcOptions = {
  /** How often ethers polls for new blocks and receipts (default 1,000 ms; a local node wants less). */
  pollingIntervalMs?: number | undefined;
  /** How long to wait for the endpoint's chain id before giving up (default 10,000 ms). */
  timeoutMs?: number | undefined;
  /** Time limit of every later JSON-RPC request (default 30,000 ms). */
  requestTimeoutMs?: number | undefined;
};

/**
 * Connects to an EVM JSON-RPC endpoint over HTTP(S), checks that it answers `eth_chainId`, and returns a provider
 * pinned to that chain, counting its calls in `stats`. An unreachable or malformed endpoint is an {@link RpcUnavailableError} saying what to check
 * (never ethers' endless "failed to detect network" retries).
 */
/** JSON-RPC calls made through a provider (ethers batches concurrent calls into one HTTP request). */
export type RpcStats = { requests: number; httpRequests: number };

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
  });
  const stats = { requests: 1, httpRequests: 1 }; // the eth_chainId above
  const send = provider._send.bind(provider);
  provider._send = (payload) => {
    stats.requests += Array.isArray(payload) ? payload.length : 1;
    stats.httpRequests += 1;
    return send(payload);
  };
  return { provider, chainId, stats };
}
