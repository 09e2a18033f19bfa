import { randomUUID } from "node:crypto";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { BaseError } from "../errors/BaseError.ts";
import { ApiError } from "./ApiError.ts";
import type { ApiContext } from "./apiContext.ts";
import { openapiDocument } from "./openapiDocument.ts";
import { InvalidCredentialError } from "../errors/credentialErrors.ts";
import { classifyError } from "../errors/classifyError.ts";
import { DEFAULT_JOB_TTL_MS, DEFAULT_MAX_JOBS, type IssuerService, issuerRoutes } from "./issuerRoutes.ts";
import { contextRoutes } from "./contextRoutes.ts";
import { statusListRoutes } from "./statusListRoutes.ts";
import { publicRoutes } from "./publicRoutes.ts";
import { webRoutes } from "./webRoutes.ts";
import { rateLimit } from "./rateLimit.ts";
import { strictJsonBody } from "./strictJsonBody.ts";
import { chainFailureCode } from "./chainFailureCode.ts";
import type { TrustProxy } from "./parseTrustProxy.ts";
import { redactResponses } from "./redactResponses.ts";
import { redactSecrets } from "./redactSecrets.ts";
import type { RpcLimits } from "./rpcPassThrough.ts";
import { rpcUrlSecrets } from "./rpcUrlSecrets.ts";
import { securityHeaders } from "./securityHeaders.ts";

/**
 * The default body limit: 1,000 credentials (MAX_VERIFY_BATCH) in one POST /v1/verify (or /v1/portfolios) with room
 * to spare, in either format. A format 1 file is 3.6 KB compact and 4.5 KB pretty-printed (depth-10 proof); a format 2
 * file with its generated badge about 7.3 KB and 9 KB; each proof level adds about 70 bytes. 16 MiB holds 1,000
 * credentials of up to 16.7 KB each (a format 2 credential carrying an issuer's own large image may not fit 1,000).
 */
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;
/** The body limit of POST /rpc: 20 calls of the largest eth_call 1,000,000 gas pays for, with room to spare. */
export const RPC_BODY_LIMIT = "256kb";

export type AppOptions = {
  /** The chain's JSON-RPC URL, for the verify page's read-only /rpc pass-through (no web pages without it). */
  readonly rpcUrl?: string | undefined;
  /** The issuer this server acts for (issuer routes answer 503 without one). */
  readonly issuer?: IssuerService | undefined;
  /** Largest accepted request body, in bytes or as "200kb" (default {@link DEFAULT_BODY_LIMIT}, 16 MiB: 1,000 credentials of either format with margin). */
  readonly bodyLimit?: string | number | undefined;
  /** Public requests a minute per client (default 600). */
  readonly publicRateLimit?: number | undefined;
  /**
   * Which proxies in front are trusted to name the client (express's `trust proxy`; `credreg serve --trust-proxy`):
   * false (default: the socket's address, X-Forwarded-For ignored), a hop count, or the proxies' addresses/subnets.
   */
  readonly trustProxy?: TrustProxy | undefined;
  /** Bounds of the /rpc pass-through (calls a request, gas, log range, upstream time a client). */
  readonly rpcLimits?: Partial<RpcLimits> | undefined;
  /** How long a finished batch job stays in memory, in ms (default {@link DEFAULT_JOB_TTL_MS}, 1 hour). */
  readonly jobTtlMs?: number | undefined;
  /** Where the issuer's status list credentials are (served at any path ending in `/status/<name>`); none by default. */
  readonly statusDir?: string | undefined;
  /** How many finished batch jobs stay in memory at most (default {@link DEFAULT_MAX_JOBS}, 1,000). */
  readonly maxJobs?: number | undefined;
};

/**
 * The express application: JSON in and out, one error shape (`{ error: { code, message, details } }`), a body size
 * limit, a rate limit per client (behind the trusted proxies, if any), security headers with a strict
 * Content-Security-Policy, and request logs that hold method, path, status and time only (never bodies, query
 * strings, keys or salts). No response and no log line carries the RPC URL (a provider's API key) or an upstream body.
 */
export function createApp(context: ApiContext, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy === undefined || options.trustProxy === false ? false : typeof options.trustProxy === "number" ? options.trustProxy : [...options.trustProxy]);
  const secrets = [...new Set([context.chain.provider._getConnection().url, ...(options.rpcUrl === undefined ? [] : [options.rpcUrl])].flatMap(rpcUrlSecrets))].sort((a, b) => b.length - a.length);
  app.use(securityHeaders());
  app.use(redactResponses(secrets));
  app.use((request, response, next) => {
    const started = performance.now();
    const id = randomUUID();
    response.setHeader("X-Request-Id", id);
    response.on("finish", () => {
      context.logger.info({ id, method: request.method, path: request.path, status: response.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    next();
  });
  app.use(rateLimit({ perMinute: options.publicRateLimit ?? 600, logger: context.logger }));
  app.use((request, _response, next) => {
    if (request.method === "POST" && !request.is("application/json")) {
      next(new ApiError(415, "UnsupportedMediaType", "Send the body as application/json.", [{ contentType: request.headers["content-type"] ?? null }]));
      return;
    }
    next();
  });
  app.use(strictJsonBody(options.bodyLimit ?? DEFAULT_BODY_LIMIT, { "/rpc": RPC_BODY_LIMIT }));
  app.get("/openapi.json", (_request, response) => {
    response.json(openapiDocument);
  });
  app.use(contextRoutes());
  if (options.statusDir !== undefined) app.use(statusListRoutes(options.statusDir));
  app.use(publicRoutes(context));
  if (options.rpcUrl !== undefined) app.use(webRoutes(context, options.rpcUrl, options.rpcLimits));
  app.use(issuerRoutes(context, options.issuer, { ttlMs: options.jobTtlMs ?? DEFAULT_JOB_TTL_MS, maxJobs: options.maxJobs ?? DEFAULT_MAX_JOBS }));
  app.use((request, _response, next) => {
    next(new ApiError(404, "NotFound", `No route for ${request.method} ${request.path}.`, ["See /openapi.json for the routes."]));
  });
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const status = statusOf(error);
    if (status === 502 && !(error instanceof ApiError)) context.logger.warn({ code: chainFailureCode(error) ?? (error instanceof BaseError ? error.name : "unknown") }, "chain unavailable");
    // No part of the RPC URL ever goes out; a server-side failure (5xx) may quote an upstream message: no URL at all.
    response.status(status).json(JSON.parse(redactSecrets(JSON.stringify(toErrorBody(error, context, secrets)), secrets, { keepUrls: status < 500 })));
  });
  return app;
}

/** Body-parser errors carry a `type`; our own are ApiErrors; the rest as {@link classifyError} says (outages 502, refusals 422). */
function statusOf(error: unknown): number {
  if (error instanceof ApiError) return error.status;
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return 400;
  if (type === "entity.too.large") return 413;
  if (type === "encoding.unsupported" || type === "charset.unsupported") return 415;
  return classifyError(error).httpStatus;
}

function toErrorBody(error: unknown, context: ApiContext, secrets: readonly string[]) {
  if (error instanceof ApiError) return error.toJSON();
  if (error instanceof InvalidCredentialError) return new ApiError(400, "InvalidInput", error.shortMessage, error.problems).toJSON();
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return new ApiError(400, "MalformedJson", "The body is not valid JSON.", [(error as Error).message]).toJSON();
  if (type === "entity.too.large") return new ApiError(413, "BodyTooLarge", "The body is larger than the server accepts.", [{ limit: (error as { limit?: number }).limit ?? null }]).toJSON();
  if (type === "encoding.unsupported" || type === "charset.unsupported") return new ApiError(415, "UnsupportedEncoding", "Send UTF-8 JSON.").toJSON();
  const classified = classifyError(error);
  if (classified.kind === "input" || classified.kind === "refused") return new ApiError(classified.httpStatus, classified.code, classified.message, classified.details).toJSON();
  // A chain failure is named by its code only: the messages of ethers and of the errors wrapping them quote the RPC
  // URL (info.requestUrl) and the upstream body.
  const code = chainFailureCode(error);
  if (classified.kind === "unavailable") {
    if (classified.reworded) return new ApiError(502, "ChainUnavailable", classified.message, classified.details).toJSON();
    const message = code === undefined ? `Could not reach the chain: ${classified.message}` : `The chain's RPC failed (${code}).`;
    return new ApiError(502, "ChainUnavailable", message, error instanceof BaseError ? (error.metaMessages ?? []) : []).toJSON();
  }
  context.logger.error({ error: redactSecrets(error instanceof Error ? error.message : String(error), secrets) }, "unexpected error");
  return new ApiError(500, "InternalError", "The server failed to answer; it logged the cause.").toJSON();
}
