import { execFile } from "node:child_process";
import { builtinModules } from "node:module";
import { cp, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../src/devnet/startHardhatNode.ts";
import { deterministicBatchOnNode } from "./helpers/deterministicBatch.ts";

const run = promisify(execFile);
const manifest = JSON.parse(await readFile("package.json", "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; exports?: unknown; bin: Record<string, string> };

/** Every file under `dir` ending in .ts. */
async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".ts")).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
const packageOf = (specifier: string) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);

describe("the package runs with its production dependencies only", () => {
  it("default: every package that src/ imports (statically or dynamically) is a dependency, never only a devDependency", async () => {
    const imported = new Map<string, string>();
    for (const file of await sources("src")) {
      const text = await readFile(file, "utf8");
      // `from "x"` of an import, not the word inside a string (a stylesheet's `content:"from "`).
      for (const match of text.matchAll(/(?:(?<!["'\w])from\s+|import\(\s*|require\(\s*|require\.resolve\(\s*|\)\.resolve\(\s*)"([^".][^"]*)"/g)) {
        const specifier = match[1]!;
        if (specifier.startsWith("node:") || builtinModules.includes(specifier)) continue;
        imported.set(packageOf(specifier.replace(/\/package\.json$/, "")), file);
      }
    }
    expect(imported.size).toBeGreaterThan(8);
    for (const [name, file] of imported) {
      // src/devnet starts a local Hardhat node for the demo and the tests: the one place that may use a devDependency,
      // and only resolved when called (never imported), so that loading the library never needs it.
      if (file.startsWith(path.join("src", "devnet")) && manifest.devDependencies[name] !== undefined) {
        expect(await readFile(file, "utf8"), file).not.toMatch(new RegExp(`from\\s+"${name}`));
        continue;
      }
      expect(manifest.dependencies[name], `${name} (imported by ${file}) must be in "dependencies"`).toBeDefined();
    }
    expect(manifest.exports).toBeDefined();
  });

  describe("installed with npm install --omit=dev in a fresh folder", () => {
    let node: LocalNode;
    let dir: string;
    let registry: string;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "credreg-prod-"));
      await Promise.all([cp("package.json", path.join(dir, "package.json")), cp("package-lock.json", path.join(dir, "package-lock.json")), cp("src", path.join(dir, "src"), { recursive: true })]);
      // The npm of this test's PATH runs on this Node; the cache already holds every package (nothing new is fetched).
      await run("npm", ["install", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, env: { ...process.env, npm_config_loglevel: "error" }, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 });
      node = await startHardhatNode();
      ({ registry } = await deterministicBatchOnNode(node.url));
    }, 300_000);

    afterAll(async () => {
      await node?.stop();
    });

    it("behavior: no devDependency is installed, and credreg verifies a credential from there", async () => {
      const installed = await readdir(path.join(dir, "node_modules"));
      for (const name of ["hardhat", "vitest", "typescript", "playwright-core", "node"]) expect(installed, name).not.toContain(name);
      const help = await run(process.execPath, [path.join(dir, manifest.bin.credreg!), "--help"], { cwd: dir });
      expect(help.stdout).toContain("credreg <command> [options]");
      const file = path.join(dir, "genuine.json");
      await writeFile(file, await readFile("test/fixtures/forged/genuine.json"));
      const verified = await run(process.execPath, [path.join(dir, manifest.bin.credreg!), "verify", file, "--json", "--registry", registry, "--rpc-url", node.url], { cwd: dir, env: { PATH: process.env.PATH, XDG_CONFIG_HOME: dir } });
      expect(JSON.parse(verified.stdout).results[0].status).toBe("valid");
    });

    it("behavior: the server's verify and portfolio pages (and its workers) build their scripts from the production install", async () => {
      for (const page of ["verify", "portfolio", "portfolio-worker"]) {
        const script = `const { buildPageBundle } = await import(${JSON.stringify(path.join(dir, "src/web/buildPageBundle.ts"))}); const bundle = await buildPageBundle(${JSON.stringify(page)}); console.log(JSON.stringify({ length: bundle.length, proofType: bundle.includes("CredregMerkleProof2026") }));`;
        const built = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: dir });
        expect(JSON.parse(built.stdout), page).toEqual({ length: expect.any(Number), proofType: true });
        expect(JSON.parse(built.stdout).length, page).toBeGreaterThan(50_000);
      }
    });
  });
});
