import { readFile } from "node:fs/promises";
import path from "node:path";
import { Router } from "express";
import { ApiError } from "./ApiError.ts";

/** A status list's file name (the last segment of its URL, see statusListFileName): no path, no leading dot. */
const STATUS_LIST_PATH = /\/status\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})$/;

/**
 * GET any path ending in `/status/<name>`: the status list credential `<statusDir>/<name>` that `credreg issue` and the
 * status commands write, so that a status base URL pointing at this server (e.g. `https://credreg.example/status`, or
 * a reverse proxy mapping `<profile>/credreg/status`) serves what wallets fetch. Public, cross-origin readable
 * (wallets run in browsers), cached briefly; served as written (`application/vc`, the VC 2.0 media type).
 */
export function statusListRoutes(statusDir: string): Router {
  const router = Router();
  router.get(STATUS_LIST_PATH, async (request, response) => {
    const name = STATUS_LIST_PATH.exec(request.path)![1]!;
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(statusDir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "EISDIR") {
        throw new ApiError(404, "not_found", `No status list ${name} is published here.`);
      }
      throw error;
    }
    response.set({ "Content-Type": "application/vc", "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60" }).send(bytes);
  });
  return router;
}
