import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { ApiError } from "./ApiError.ts";
import { clientKey } from "./clientKey.ts";
import { redactSecrets } from "./redactSecrets.ts";
import { rpcUrlSecrets } from "./rpcUrlSecrets.ts";
import { upstreamTimeBudget } from "./upstreamTimeBudget.ts";
import { keyRegistryAddressOf } from "../chain/keyRegistryAddressOf.ts";
import { type RpcCallVerdict, vetRpcCall } from "./vetRpcCall.ts";

/** The bounds of /rpc (AppOptions.rpcLimits overrides any of them). */
export type RpcLimits = {
  /** JSON-RPC calls in one request (a batch). */
  readonly maxCallsPerRequest: number;
  /** Gas of one eth_call (a one-credential status read takes about 44,000; 20 credentials about 375,000). */
  readonly maxGas: bigint;
  /** Blocks one eth_getLogs may span. */
  readonly maxLogBlocks: number;
  /** Upstream time a client may use a minute, in milliseconds. */
  readonly upstreamMsPerMinute: number;
  /** Upstream requests a client may have in flight at once. */
  readonly maxInFlightPerClient: number;
  /** Time limit of one upstream request, in milliseconds. */
  readonly upstreamTimeoutMs: number;
};

export const DEFAULT_RPC_LIMITS: RpcLimits = {
  maxCallsPerRequest: 20,
  maxGas: 1_000_000n,
  maxLogBlocks: 2_000,
  upstreamMsPerMinute: 20_000,
  maxInFlightPerClient: 4,
  upstreamTimeoutMs: 10_000,
};

type JsonRpcId = string | number | null;
type JsonRpcAnswer = { jsonrpc: "2.0"; id: JsonRpcId; result?: unknown; error?: { code: number; message: string; data?: string } };

const HEX = /^0x[0-9a-f]*$/i;

/** An upstream JSON-RPC error as the client may see it: code, message (no URL, at most 300 characters), revert data. */
function cleanError(error: unknown, secrets: readonly string[]): JsonRpcAnswer["error"] {
  const record = (error !== null && typeof error === "object" ? error : {}) as { code?: unknown; message?: unknown; data?: unknown };
  const message = redactSecrets(typeof record.message === "string" ? record.message : "the chain refused the call", secrets).slice(0, 300);
  return { code: typeof record.code === "number" ? record.code : -32603, message, ...(typeof record.data === "string" && HEX.test(record.data) ? { data: record.data } : {}) };
}

/**
 * POST /rpc: the verify page's JSON-RPC pass-through to the chain. Each call is checked ({@link vetRpcCall}) and
 * rebuilt; a request with one refused call is refused whole (403, the API's error shape); an eth_getLogs over too many
 * blocks is answered here with a JSON-RPC error saying "block range too large" (the page's log reader then halves
 * its range). At most `maxCallsPerRequest` calls a request, and per client `upstreamMsPerMinute` of upstream time and
 * `maxInFlightPerClient` requests at once (429 beyond). The chain's answers go back by the client's ids; an upstream
 * failure is a 502 that names no URL and carries no upstream body.
 */
export function rpcPassThrough(options: { rpcUrl: string; registry: string; limits?: Partial<RpcLimits> | undefined; logger: Logger }): RequestHandler {
  const limits = { ...DEFAULT_RPC_LIMITS, ...options.limits };
  const budget = upstreamTimeBudget({ msPerMinute: limits.upstreamMsPerMinute, maxInFlight: limits.maxInFlightPerClient });
  const secrets = rpcUrlSecrets(options.rpcUrl);
  const policy = { registry: options.registry, keyRegistry: keyRegistryAddressOf(options.registry), maxGas: limits.maxGas, maxLogBlocks: limits.maxLogBlocks };

  return async (request: Request, response: Response) => {
    const batch = Array.isArray(request.body);
    const calls = batch ? (request.body as unknown[]) : [request.body];
    if (request.body === undefined || calls.length === 0 || calls.length > limits.maxCallsPerRequest) {
      throw new ApiError(400, "InvalidRequest", `Send 1 to ${limits.maxCallsPerRequest} JSON-RPC calls.`, [{ count: request.body === undefined ? 0 : calls.length }]);
    }
    const verdicts: RpcCallVerdict[] = calls.map((call, position) => vetRpcCall(call, position, policy));
    const refused = verdicts.find((verdict) => verdict.kind === "refuse");
    if (refused !== undefined) throw refused.error;

    const answers: (JsonRpcAnswer | undefined)[] = calls.map((call, position) => {
      const verdict = verdicts[position]!;
      return verdict.kind === "answer" ? { jsonrpc: "2.0", id: ((call as { id?: JsonRpcId }).id ?? null), error: verdict.error } : undefined;
    });
    // Forwarded with our own ids (their positions): the client's ids are never sent, and answers map back exactly.
    const upstreamCalls = verdicts.flatMap((verdict, position) => (verdict.kind === "forward" ? [{ jsonrpc: "2.0", id: position, method: verdict.call.method, params: verdict.call.params }] : []));
    if (upstreamCalls.length > 0) {
      const started = budget.begin(clientKey(request));
      if ("reason" in started) {
        response.setHeader("Retry-After", String(started.retryAfterSeconds));
        throw new ApiError(
          429,
          "RateLimited",
          started.reason === "inFlight" ? `Too many /rpc requests in flight: at most ${limits.maxInFlightPerClient} at once.` : `This client used its /rpc budget of ${limits.upstreamMsPerMinute} ms of chain time a minute.`,
          [`Retry after ${started.retryAfterSeconds} s.`],
        );
      }
      let upstream: globalThis.Response;
      let text: string;
      try {
        upstream = await fetch(options.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch ? upstreamCalls : upstreamCalls[0]), signal: AbortSignal.timeout(limits.upstreamTimeoutMs) });
        text = await upstream.text();
      } catch (error) {
        const timedOut = (error as { name?: string }).name === "TimeoutError";
        options.logger.warn({ code: timedOut ? "TIMEOUT" : ((error as { cause?: { code?: string } }).cause?.code ?? "FETCH_FAILED") }, "rpc pass-through: the chain did not answer");
        throw new ApiError(timedOut ? 504 : 502, "ChainUnavailable", timedOut ? `The chain's RPC did not answer within ${limits.upstreamTimeoutMs} ms.` : "The chain's RPC could not be reached.");
      } finally {
        started.done();
      }
      if (upstream.status === 429) throw new ApiError(503, "ChainUnavailable", "The chain's RPC is rate-limiting this server: retry later.");
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const received = Array.isArray(parsed) ? parsed : [parsed];
      if (!received.some((answer) => answer !== null && typeof answer === "object" && "id" in answer)) {
        throw new ApiError(502, "ChainUnavailable", `The chain's RPC answered HTTP ${upstream.status} with no JSON-RPC answer.`);
      }
      for (const answer of received) {
        if (answer === null || typeof answer !== "object") continue;
        const { id, result, error } = answer as { id?: unknown; result?: unknown; error?: unknown };
        if (typeof id !== "number" || verdicts[id]?.kind !== "forward" || answers[id] !== undefined) continue;
        const clientId = ((calls[id] as { id?: JsonRpcId }).id ?? null);
        answers[id] = error === undefined ? { jsonrpc: "2.0", id: clientId, result: result ?? null } : { jsonrpc: "2.0", id: clientId, error: cleanError(error, secrets) };
      }
    }
    const complete = answers.map((answer, position) => answer ?? { jsonrpc: "2.0" as const, id: ((calls[position] as { id?: JsonRpcId }).id ?? null), error: { code: -32603, message: "The chain's RPC gave no answer to this call." } });
    response.type("application/json").json(batch ? complete : complete[0]);
  };
}
