import { Router } from "express";
import { auditPageHtml, verifyPageHtml } from "../web/pages.ts";
import { buildVerifierBundle } from "../web/buildVerifierBundle.ts";
import { ApiError } from "./ApiError.ts";
import type { ApiContext } from "./apiContext.ts";

/** The JSON-RPC methods a verification reads with; the page's /rpc forwards these and nothing else. */
const READ_ONLY_METHODS = new Set(["eth_chainId", "net_version", "eth_blockNumber", "eth_getCode", "eth_call", "eth_getLogs", "eth_getBlockByNumber", "eth_getBlockByHash"]);

/**
 * The two web pages, the verify page's script (the real verifier, bundled for the browser), and /rpc: a read-only
 * JSON-RPC pass-through to the configured chain, so the page works without the node allowing other origins. What goes
 * through it is what any verifier asks the chain (hashes, proofs, roots), never the credential's content.
 */
export function webRoutes(context: ApiContext, rpcUrl: string): Router {
  const router = Router();
  router.get("/", (_request, response) => {
    response.type("html").send(verifyPageHtml({ rpcUrl: "/rpc", registry: context.chain.registryAddress }));
  });
  router.get("/audit", (_request, response) => {
    response.type("html").send(auditPageHtml());
  });
  router.get("/assets/verify.js", async (_request, response) => {
    response.type("text/javascript").setHeader("Cache-Control", "no-cache").send(await buildVerifierBundle());
  });
  router.post("/rpc", async (request, response) => {
    const calls = Array.isArray(request.body) ? (request.body as unknown[]) : [request.body];
    if (calls.length === 0 || calls.length > 100) throw new ApiError(400, "InvalidRequest", "Send 1 to 100 JSON-RPC calls.");
    for (const call of calls) {
      const method = (call as { method?: unknown } | null)?.method;
      if (typeof method !== "string" || !READ_ONLY_METHODS.has(method)) {
        throw new ApiError(403, "MethodNotAllowed", `Only read-only JSON-RPC methods are forwarded (${[...READ_ONLY_METHODS].join(", ")}).`, [{ method: method ?? null }]);
      }
    }
    const upstream = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request.body), signal: AbortSignal.timeout(30_000) });
    response.status(upstream.status).type("application/json").send(await upstream.text());
  });
  return router;
}
