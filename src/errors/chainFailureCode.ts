/** Node's codes for a peer that cannot be reached or stops answering. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"]);
/** ethers' codes for a failure on the chain's side (its RPC, or what it answered). */
const ETHERS_CODES = new Set(["NETWORK_ERROR", "SERVER_ERROR", "TIMEOUT", "BAD_DATA", "CALL_EXCEPTION", "UNKNOWN_ERROR", "UNSUPPORTED_OPERATION"]);

/**
 * The code of the chain failure inside `error` (ethers' SERVER_ERROR, TIMEOUT..., or Node's ECONNREFUSED...),
 * looked for in the error and its causes; undefined when the error is no chain failure. Only the code: the
 * messages of such errors carry the RPC URL (a provider's API key) and the upstream body.
 */
export function chainFailureCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    const { code, syscall } = current as { code?: unknown; syscall?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || (ETHERS_CODES.has(code) && "shortMessage" in current) || typeof syscall === "string")) return code;
    current = (current as { error?: unknown }).error ?? current.cause;
  }
  return undefined;
}
