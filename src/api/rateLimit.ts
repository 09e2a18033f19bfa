import type { NextFunction, Request, RequestHandler, Response } from "express";
import { rateLimit as expressRateLimit } from "express-rate-limit";
import type { Logger } from "pino";
import { ApiError } from "./ApiError.ts";
import { clientKey } from "./clientKey.ts";

/**
 * `perMinute` requests a minute per client (express-rate-limit, fixed one-minute windows, in memory: one process).
 * The client is `request.ip`: the socket's address, or with the app's `trust proxy` setting (`--trust-proxy`) the
 * address the trusted proxies forwarded (IPv6 clients counted per /56). Over the limit: 429 RateLimited in the API's
 * error shape, with Retry-After and the RateLimit headers (IETF draft 7).
 */
export function rateLimit(options: { perMinute: number; logger: Logger }): RequestHandler {
  return expressRateLimit({
    windowMs: 60_000,
    limit: options.perMinute,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: (request) => clientKey(request),
    logger: options.logger,
    handler: (_request: Request, response: Response, next: NextFunction) => {
      const wait = response.getHeader("Retry-After") ?? "60";
      next(new ApiError(429, "RateLimited", `Too many requests: at most ${options.perMinute} a minute.`, [`Retry after ${String(wait)} s.`]));
    },
  });
}
