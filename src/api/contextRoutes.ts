import { Router } from "express";
import { CREDREG_CONTEXT_V2_URL, credregContextV2 } from "../credential/v2/credregContextV2.ts";

/** Where `credreg serve` publishes credreg's JSON-LD context (the target to register for {@link CREDREG_CONTEXT_V2_URL}). */
export const CREDREG_CONTEXT_V2_PATH = "/contexts/credreg/v2";

/**
 * GET /contexts/credreg/v2: credreg's format 2 JSON-LD context, byte for byte what the package ships (verifiers never
 * fetch it: they use the shipped copy; this is for JSON-LD tools that dereference `https://w3id.org/credreg/v2` once
 * w3id.org redirects it here). Public, cross-origin readable, cached for a day (the context never changes: a new
 * vocabulary gets a new URL).
 */
export function contextRoutes(): Router {
  const router = Router();
  const body = JSON.stringify(credregContextV2, null, 2);
  router.get(CREDREG_CONTEXT_V2_PATH, (_request, response) => {
    response.set({ "Content-Type": "application/ld+json", "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=86400" }).send(body);
  });
  return router;
}
