import { createHash } from "node:crypto";
import type { RequestHandler } from "express";
import helmet from "helmet";
import { PAGE_INLINE_SCRIPTS, PAGE_INLINE_STYLES } from "../web/pages.ts";

const hashSource = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * The Content-Security-Policy of every response: nothing loads but this origin's own scripts (the verify page's
 * /assets/verify.js) and the pages' inline script and style allowed by hash; images from this origin or `data:` URLs
 * (a credential's badge image travels inside it; an <img> runs no script); fetches go to this origin only (the
 * API and /rpc); no plugin, no <base>, forms post here only; and no other site may frame a page (a fake verdict
 * laid over a real page).
 */
export const CONTENT_SECURITY_POLICY = {
  "default-src": ["'none'"],
  "script-src": ["'self'", ...PAGE_INLINE_SCRIPTS.map(hashSource)],
  "style-src": PAGE_INLINE_STYLES.map(hashSource),
  "connect-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
  "object-src": ["'none'"],
} as const;

/**
 * helmet with the API's settings: the strict {@link CONTENT_SECURITY_POLICY}, X-Frame-Options DENY (for browsers
 * without frame-ancestors), X-Content-Type-Options nosniff, Referrer-Policy no-referrer, Cross-Origin-Opener-Policy
 * and Cross-Origin-Resource-Policy same-origin, and helmet's other defaults (HSTS, which browsers heed over HTTPS only).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
}
