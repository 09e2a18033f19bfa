/** Every message and code inside an ethers or JSON-RPC error, joined (providers nest them differently). */
export function rpcErrorFacts(error: unknown): { text: string; codes: (string | number)[] } {
  const parts: string[] = [];
  const codes: (string | number)[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === "object"; depth += 1) {
    const record = current as { message?: unknown; shortMessage?: unknown; code?: unknown; status?: unknown; error?: unknown; info?: unknown; cause?: unknown; response?: unknown };
    for (const value of [record.shortMessage, record.message]) if (typeof value === "string") parts.push(value);
    for (const value of [record.code, record.status]) if (typeof value === "string" || typeof value === "number") codes.push(value);
    const info = record.info as { error?: unknown; responseStatus?: unknown } | undefined;
    if (typeof info?.responseStatus === "string") parts.push(info.responseStatus);
    current = record.error ?? info?.error ?? record.cause;
  }
  return { text: parts.join(" | "), codes };
}

/** RPC answers that mean "slow down": HTTP 429, JSON-RPC -32005 (limit exceeded), or the words providers use. */
const RATE_LIMITED = /\b429\b|too many requests|rate.?limit|requests? limit|throttl|capacity exceeded|compute units/i;
/** RPC answers that mean "ask for fewer blocks" (providers word it differently). */
const RANGE_TOO_LARGE = /block range|range (is )?too (large|wide|big)|range.*exceed|exceed.*range|more than \d+ (blocks|results|logs)|too many (results|logs|blocks)|response size|query returned more than|limited to \d+|max(imum)? (block )?range|10000 results|log response size/i;

/**
 * What an RPC failure means (for a log read, and for any call): `rangeTooLarge` (ask for fewer blocks: the message speaks of a block
 * range or too many results), `rateLimited` (wait, then ask the same again: HTTP 429, or JSON-RPC -32005 "limit
 * exceeded" and the like without a word about ranges), or `other` (retry with back-off). -32005 serves both meanings
 * at some providers, so the message decides first.
 */
export function classifyRpcError(error: unknown): "rateLimited" | "rangeTooLarge" | "other" {
  const { text, codes } = rpcErrorFacts(error);
  if (RANGE_TOO_LARGE.test(text)) return "rangeTooLarge";
  if (codes.includes(429) || codes.includes(-32005) || RATE_LIMITED.test(text)) return "rateLimited";
  return "other";
}
