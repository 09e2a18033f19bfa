import path from "node:path";
import { fileURLToPath } from "node:url";

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** The pages that run the verifier in the browser, and their scripts (`/assets/<page>.js`; the portfolio page's workers too). */
export const PAGE_SCRIPTS = { verify: "./verifyPageScript.ts", portfolio: "./portfolioPageScript.ts", "portfolio-worker": "./portfolioWorkerScript.ts" } as const;
export type ScriptedPage = keyof typeof PAGE_SCRIPTS;

const cached = new Map<ScriptedPage, Promise<string>>();

/**
 * A page's script: the real verifier (src/verifier) bundled for the browser with the page's code, node:crypto and the
 * native keccak replaced by pure-JS equivalents (node:zlib too, for baked badges and ZIP archives) and Buffer from
 * the `buffer` package. Built once per page and process, in memory.
 */
export function buildPageBundle(page: ScriptedPage): Promise<string> {
  const existing = cached.get(page);
  if (existing !== undefined) return existing;
  // esbuild is loaded here, when a server first serves the page: no other command ever loads it.
  const built = import("esbuild").then(({ build }) => build({
    entryPoints: [here(PAGE_SCRIPTS[page])],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    inject: [here("./shims/buffer.ts")],
    alias: { "node:crypto": here("./shims/nodeCrypto.ts"), "node:zlib": here("./shims/nodeZlib.ts") },
    plugins: [
      {
        name: "browser-keccak",
        setup(builder) {
          // Every import of src/crypto/keccak256.ts (native addon), whatever relative path names it.
          builder.onResolve({ filter: /keccak256\.ts$/ }, (args) =>
            path.resolve(args.resolveDir, args.path) === here("../crypto/keccak256.ts") ? { path: here("./shims/keccak256.ts") } : undefined,
          );
        },
      },
    ],
    logLevel: "silent",
  })).then((result) => result.outputFiles[0]!.text);
  cached.set(page, built);
  return built;
}
