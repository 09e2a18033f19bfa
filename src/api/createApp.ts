import { randomUUID } from "node:crypto";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { BaseError } from "../errors/BaseError.ts";
import { ApiError } from "./ApiError.ts";
import type { ApiContext } from "./apiContext.ts";
import { openapiDocument } from "./openapiDocument.ts";
import { InvalidConfigError } from "../errors/configErrors.ts";
import { InvalidCredentialError } from "../errors/credentialErrors.ts";
import { ChainActionError, InvalidInputError } from "../errors/issuerErrors.ts";
import { type IssuerService, issuerRoutes } from "./issuerRoutes.ts";
import { publicRoutes } from "./publicRoutes.ts";
import { webRoutes } from "./webRoutes.ts";
import { rateLimit } from "./rateLimit.ts";
import { strictJsonBody } from "./strictJsonBody.ts";

export type AppOptions = {
  /** The chain's JSON-RPC URL, for the verify page's read-only /rpc pass-through (no web pages without it). */
  readonly rpcUrl?: string | undefined;
  /** The issuer this server acts for (issuer routes answer 503 without one). */
  readonly issuer?: IssuerService | undefined;
  /** Largest accepted request body (default "2mb"). */
  readonly bodyLimit?: string | undefined;
  /** Public requests a minute per client (default 600). */
  readonly publicRateLimit?: number | undefined;
};

/**
 * The express application: JSON in and out, one error shape (`{ error: { code, message, details } }`), a body size
 * limit, a rate limit per client, and request logs that hold method, path, status and time only (never bodies,
 * query strings, keys or salts).
 */
export function createApp(context: ApiContext, options: AppOptions = {}): Express {
  const app = express();
  app.disable("x-powered-by");
  app.use((request, response, next) => {
    const started = performance.now();
    const id = randomUUID();
    response.setHeader("X-Request-Id", id);
    response.on("finish", () => {
      context.logger.info({ id, method: request.method, path: request.path, status: response.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    next();
  });
  app.use(rateLimit(options.publicRateLimit ?? 600));
  app.use((request, _response, next) => {
    if (request.method === "POST" && !request.is("application/json")) {
      next(new ApiError(415, "UnsupportedMediaType", "Send the body as application/json.", [{ contentType: request.headers["content-type"] ?? null }]));
      return;
    }
    next();
  });
  app.use(strictJsonBody(options.bodyLimit ?? "2mb"));
  app.get("/openapi.json", (_request, response) => {
    response.json(openapiDocument);
  });
  app.use(publicRoutes(context));
  if (options.rpcUrl !== undefined) app.use(webRoutes(context, options.rpcUrl));
  app.use(issuerRoutes(context, options.issuer));
  app.use((request, _response, next) => {
    next(new ApiError(404, "NotFound", `No route for ${request.method} ${request.path}.`, ["See /openapi.json for the routes."]));
  });
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    response.status(statusOf(error)).json(toErrorBody(error, context));
  });
  return app;
}

/** ethers errors carry a string `code` (NETWORK_ERROR, TIMEOUT, SERVER_ERROR, ...): the chain's side. */
const isEthersError = (error: unknown) => error instanceof Error && typeof (error as { code?: unknown }).code === "string" && "shortMessage" in error;

/** Body-parser errors carry a `type`; our own are ApiErrors; chain failures are the gateway's fault (502). */
function statusOf(error: unknown): number {
  if (error instanceof ApiError) return error.status;
  if (error instanceof InvalidInputError || error instanceof InvalidCredentialError || error instanceof InvalidConfigError) return 400;
  if (error instanceof ChainActionError) return 422;
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return 400;
  if (type === "entity.too.large") return 413;
  if (type === "encoding.unsupported" || type === "charset.unsupported") return 415;
  if (error instanceof BaseError || isEthersError(error)) return 502;
  return 500;
}

function toErrorBody(error: unknown, context: ApiContext) {
  if (error instanceof ApiError) return error.toJSON();
  if (error instanceof InvalidCredentialError) return new ApiError(400, "InvalidInput", error.shortMessage, error.problems).toJSON();
  if (error instanceof InvalidInputError || error instanceof InvalidConfigError) return new ApiError(400, "InvalidInput", error.shortMessage, [...(error.metaMessages ?? []), ...(error.details ? [error.details] : [])]).toJSON();
  if (error instanceof ChainActionError) return new ApiError(422, "ChainRefused", error.shortMessage, [...(error.metaMessages ?? []), ...(error.details ? [error.details] : [])]).toJSON();
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return new ApiError(400, "MalformedJson", "The body is not valid JSON.", [(error as Error).message]).toJSON();
  if (type === "entity.too.large") return new ApiError(413, "BodyTooLarge", "The body is larger than the server accepts.", [{ limit: (error as { limit?: number }).limit ?? null }]).toJSON();
  if (type === "encoding.unsupported" || type === "charset.unsupported") return new ApiError(415, "UnsupportedEncoding", "Send UTF-8 JSON.").toJSON();
  if (error instanceof BaseError) return new ApiError(502, "ChainUnavailable", `Could not reach the chain: ${error.shortMessage}`, error.metaMessages ?? []).toJSON();
  if (isEthersError(error)) return new ApiError(502, "ChainUnavailable", `The chain's RPC failed: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}`).toJSON();
  context.logger.error({ error: error instanceof Error ? error.message : String(error) }, "unexpected error");
  return new ApiError(500, "InternalError", "The server failed to answer; it logged the cause.").toJSON();
}
