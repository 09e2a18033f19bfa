import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { JsonSyntaxProblem, type ParsedJson, parseJsonText } from "../credential/parseJsonText.ts";
import { ApiError } from "./ApiError.ts";

/** Routes that take documents whose I-JSON problems are part of the answer (a credential failing its format step). */
const REPORTS_PROBLEMS = new Set(["/v1/verify", "/v1/portfolios"]);

/** The strictly parsed body of this request (set by {@link strictJsonBody}), when it had one. */
export function parsedBody(response: Response): ParsedJson | undefined {
  return response.locals.parsedBody as ParsedJson | undefined;
}

/**
 * JSON bodies read strictly, as UTF-8 bytes: not UTF-8 or not JSON is 400 MalformedJson; duplicate member names,
 * lone surrogates or numbers that change when parsed are 400 InvalidJson (RFC 7493), except on routes that report
 * them per document (POST /v1/verify: that credential fails its format step). Nothing is ever issued from such a
 * body. `request.body` is the parsed value; `parsedBody(response)` keeps the problems. Bodies over `limit` bytes
 * (or the limit `limitsByPath` gives the request's path) are 413 BodyTooLarge.
 */
export function strictJsonBody(limit: string | number, limitsByPath: Readonly<Record<string, string | number>> = {}): RequestHandler[] {
  const read = express.raw({ type: "application/json", limit });
  const readByPath = new Map(Object.entries(limitsByPath).map(([route, routeLimit]) => [route, express.raw({ type: "application/json", limit: routeLimit })]));
  return [
    (request: Request, response: Response, next: NextFunction) => (readByPath.get(request.path) ?? read)(request, response, next),
    (request: Request, response: Response, next: NextFunction) => {
      if (!Buffer.isBuffer(request.body)) {
        request.body = undefined;
        next();
        return;
      }
      const charset = /;\s*charset=([^;]+)/i.exec(request.headers["content-type"] ?? "")?.[1]?.trim().replace(/^"|"$/g, "").toLowerCase();
      if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
        next(new ApiError(415, "UnsupportedEncoding", "Send UTF-8 JSON.", [{ charset }]));
        return;
      }
      const parsed = parseJsonText(request.body);
      if (parsed instanceof JsonSyntaxProblem) {
        next(new ApiError(400, "MalformedJson", "The body is not valid JSON.", [parsed.message]));
        return;
      }
      if (parsed.problems.length > 0 && !REPORTS_PROBLEMS.has(request.path)) {
        next(new ApiError(400, "InvalidJson", "The body is not I-JSON (RFC 7493): fix every problem listed.", parsed.problems));
        return;
      }
      response.locals.parsedBody = parsed;
      request.body = parsed.value;
      next();
    },
  ];
}
