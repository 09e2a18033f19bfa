import { config } from "zod";

/**
 * zod's global configuration with `jitless` set, for the browser: the pages' Content-Security-Policy allows no eval,
 * so zod must neither compile its parsers with `new Function` nor probe whether it may (a probe the browser reports
 * as a violation). zod decides when a schema is built, at import: the verify page's script imports this module
 * before anything that builds a schema.
 */
export const zodJitless = config({ jitless: true });
