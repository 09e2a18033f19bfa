import type { NextFunction, Request, RequestHandler, Response } from "express";
import { redactSecrets } from "./redactSecrets.ts";

/**
 * The last guard on what leaves the server: every JSON, CSV or plain-text body sent has `secrets` (the parts of the
 * RPC URLs that may be API keys, see rpcUrlSecrets.ts) replaced by "[redacted]", whatever route or error put them
 * there. Other URLs are kept (credentials and results name their issuers' URLs).
 */
export function redactResponses(secrets: readonly string[]): RequestHandler {
  return (_request: Request, response: Response, next: NextFunction) => {
    const send = response.send.bind(response);
    response.send = (body?: unknown) => {
      const type = String(response.getHeader("content-type") ?? "");
      return send(typeof body === "string" && /json|^text\/(plain|csv)/.test(type) ? redactSecrets(body, secrets, { keepUrls: true }) : body);
    };
    next();
  };
}
