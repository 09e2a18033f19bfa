import type { CredregConfig } from "../config/resolveConfig.ts";
import { defaultStatusDir } from "../issuer/writeStatusLists.ts";
import { str } from "./parseCommandArgs.ts";

/** Where format 2 status list credentials are written: --status-dir, else CREDREG_STATUS_DIR, else `status/` beside the store. */
export function statusDirOf(values: Record<string, unknown>, config: CredregConfig): string {
  return str(values["status-dir"] as string | boolean | undefined) ?? (process.env.CREDREG_STATUS_DIR?.trim() || defaultStatusDir(config.store));
}
