import type { Request } from "express";
import { ipKeyGenerator } from "express-rate-limit";

/**
 * Who a request counts against, for the rate limit and the /rpc time budget: `request.ip` (which honours the app's
 * `trust proxy` setting), IPv6 addresses grouped by /56 so one host cannot rotate through its own prefix.
 */
export function clientKey(request: Request): string {
  return ipKeyGenerator(request.ip ?? request.socket.remoteAddress ?? "unknown");
}
