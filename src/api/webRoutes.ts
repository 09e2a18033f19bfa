import { Router } from "express";
import { auditPageHtml, verifyPageHtml } from "../web/pages.ts";
import { buildVerifierBundle } from "../web/buildVerifierBundle.ts";
import type { ApiContext } from "./apiContext.ts";
import { type RpcLimits, rpcPassThrough } from "./rpcPassThrough.ts";
import { shareRoutes } from "./shareRoutes.ts";

/**
 * The two web pages, the verify page's script (the real verifier, bundled for the browser), and /rpc: a JSON-RPC
 * pass-through to the configured chain for the reads a verification makes of this registry and nothing else
 * ({@link rpcPassThrough}), so the page works without the node allowing other origins. What goes through it is what
 * any verifier asks the chain (hashes, proofs, roots), never the credential's content. And public share links
 * (`/c/<payload>`, {@link shareRoutes}), which a holder makes to publish a credential with a preview.
 */
export function webRoutes(context: ApiContext, rpcUrl: string, rpcLimits?: Partial<RpcLimits>): Router {
  const router = Router();
  const pageConfig = { rpcUrl: "/rpc", registry: context.chain.registryAddress };
  router.get("/", (_request, response) => {
    response.type("html").send(verifyPageHtml(pageConfig));
  });
  router.use(shareRoutes(context, pageConfig));
  router.get("/audit", (_request, response) => {
    response.type("html").send(auditPageHtml());
  });
  router.get("/assets/verify.js", async (_request, response) => {
    response.type("text/javascript").setHeader("Cache-Control", "no-cache").send(await buildVerifierBundle());
  });
  router.post("/rpc", rpcPassThrough({ rpcUrl, registry: context.chain.registryAddress, limits: rpcLimits, logger: context.logger }));
  return router;
}
