import { Router } from "express";
import { buildPageBundle, PAGE_SCRIPTS, type ScriptedPage } from "../web/buildPageBundle.ts";
import { auditPageHtml, portfolioPageHtml, verifyPageHtml } from "../web/pages.ts";
import type { ApiContext } from "./apiContext.ts";
import { type RpcLimits, rpcPassThrough } from "./rpcPassThrough.ts";
import { shareRoutes } from "./shareRoutes.ts";

/**
 * The web pages (verify, portfolio, audit), the scripts of the first two (the real verifier, bundled for the browser
 * with each page's code), and /rpc: a JSON-RPC
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
  router.get("/portfolio", (_request, response) => {
    response.type("html").send(portfolioPageHtml(pageConfig));
  });
  router.get("/audit", (_request, response) => {
    response.type("html").send(auditPageHtml());
  });
  for (const page of Object.keys(PAGE_SCRIPTS) as ScriptedPage[]) {
    router.get(`/assets/${page}.js`, async (_request, response) => {
      response.type("text/javascript").setHeader("Cache-Control", "no-cache").send(await buildPageBundle(page));
    });
  }
  router.post("/rpc", rpcPassThrough({ rpcUrl, registry: context.chain.registryAddress, limits: rpcLimits, logger: context.logger }));
  return router;
}
