import type { NextFunction, Request, Response } from "express";
import { ApiError } from "./ApiError.ts";

/**
 * A token bucket per client address: `perMinute` requests a minute, refilled continuously. Over it, 429 with
 * Retry-After. In memory: one process, loopback or behind a proxy that sets the client address.
 */
export function rateLimit(perMinute: number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (request: Request, response: Response, next: NextFunction) => {
    const key = request.ip ?? "unknown";
    const now = Date.now();
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * perMinute);
    bucket.at = now;
    if (bucket.tokens < 1) {
      const wait = Math.ceil(((1 - bucket.tokens) / perMinute) * 60);
      response.setHeader("Retry-After", String(wait));
      next(new ApiError(429, "RateLimited", `Too many requests: at most ${perMinute} a minute.`, [`Retry after ${wait} s.`]));
      return;
    }
    bucket.tokens -= 1;
    buckets.set(key, bucket);
    if (buckets.size > 10_000) for (const [stale, value] of buckets) if (now - value.at > 120_000) buckets.delete(stale);
    next();
  };
}
