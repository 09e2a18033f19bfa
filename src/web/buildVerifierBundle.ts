import path from "node:path";
import { fileURLToPath } from "node:url";

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

let cached: Promise<string> | undefined;

/**
 * The verify page's script: the real verifier (src/verifier) bundled for the browser, with node:crypto and the native
 * keccak replaced by pure-JS equivalents (node:zlib too, for baked badges) and Buffer from the `buffer` package. Built once per process, in memory.
 */
export function buildVerifierBundle(): Promise<string> {
  // esbuild is loaded here, when a server first serves the page: no other command ever loads it.
  cached ??= import("esbuild").then(({ build }) => build({
    entryPoints: [here("./verifyPageScript.ts")],
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
  return cached;
}
