// Verifying a stacked credential (docs/stacking.md): `credreg verify` of one stacked credential with 10 components,
// each from its own batch (the most reads), against a local `hardhat node` over HTTP; wall time of the whole command
// and the JSON-RPC calls it made, beside a plain credential's. Prints markdown; run by scripts/bench.ts.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { issueBatch } from "../../src/issuer/issueBatch.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { readComponentFiles } from "../../src/stacking/readStackHolders.ts";
import { pathwayFromValue } from "../../src/stacking/pathwayFromValue.ts";
import { stackCredentials } from "../../src/stacking/stackCredentials.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";
import { startBenchRegistry } from "./benchRegistry.ts";

const COMPONENTS = 10;
const HOLDER = { name: "Ada Lovelace", email: "ada@example.org" };

const work = await mkdtemp(path.join(tmpdir(), "credreg-bench-stack-"));
const bench = await startBenchRegistry(path.join(work, "deployments"));
const rows: string[] = [];
try {
  const { node, deployment, issuer } = bench;
  const { default: achievementJson } = await import("../../examples/achievement.json", { with: { type: "json" } });
  const config = resolveConfig({ "rpc-url": node.url, registry: deployment.address, store: path.join(work, "issuer.sqlite") }, {}, work);
  const chain = await openChain(config);
  const store = IssuerStore.open(config.store);
  const achievementOf = (index: number) => ({ ...achievementJson, id: `${achievementJson.id}-part-${index + 1}`, name: `${achievementJson.name}, part ${index + 1}` });
  const componentFiles: string[] = [];
  for (let index = 0; index < COMPONENTS; index += 1) {
    const outDir = path.join(work, `component-${index}`);
    await issueBatch(chain, issuer, store, { input: { recipients: [HOLDER] }, achievement: { value: achievementOf(index) }, outDir, confirmations: 1 });
    const [file] = (await readdir(path.join(outDir, "credentials"))).filter((name) => name.endsWith(".json"));
    componentFiles.push(path.join(outDir, "credentials", file!));
  }
  const pathway = pathwayFromValue({
    type: "CredregPathway",
    id: "https://bench.example/pathways/ten-parts",
    qualification: { ...achievementJson, id: "https://bench.example/qualifications/ten-parts", name: "Ten Parts Certificate" },
    components: Array.from({ length: COMPONENTS }, (_, index) => ({ achievement: achievementOf(index).id })),
    required: "all",
  });
  const stackDir = path.join(work, "stacked");
  await stackCredentials(chain, issuer, store, { pathway, holders: [{ ...HOLDER, components: await readComponentFiles(componentFiles) }], outDir: stackDir, confirmations: 1 });
  store.close();
  chain.close();
  const [stackedName] = (await readdir(path.join(stackDir, "credentials"))).filter((name) => name.endsWith(".json"));
  const stacked = path.join(stackDir, "credentials", stackedName!);

  /** One whole `credreg verify <file> --json` run: wall time and the RPC calls, the verdict checked. */
  const verifyOnce = async (file: string, components: number) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.resolve("src/cli/credreg.ts"), "verify", file, "--json"], { env: { PATH: process.env.PATH, CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: deployment.address }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const seconds = (performance.now() - started) / 1000;
    const { summary, results } = JSON.parse(stdout) as { summary: { rpc: { requests: number; httpRequests: number } }; results: { status: string; steps: { name: string; details: { components?: unknown[] } }[] }[] };
    const checked = results[0]!.steps.find((step) => step.name === "components")?.details.components?.length ?? 0;
    if (code !== 0 || results[0]!.status !== "valid" || checked !== components) throw new Error(`credreg verify exited ${code} with ${JSON.stringify(results[0]).slice(0, 300)}`);
    return { seconds, rpc: summary.rpc };
  };
  for (const [label, file, components] of [["a plain credential (format 1)", componentFiles[0]!, 0], [`a stacked credential with ${COMPONENTS} components, each from its own batch`, stacked, COMPONENTS]] as const) {
    const runs = [];
    for (let attempt = 0; attempt < 3; attempt += 1) runs.push(await verifyOnce(file, components));
    const seconds = runs.map((entry) => entry.seconds).sort((a, b) => a - b);
    rows.push(`| ${label} | ${seconds[1]!.toFixed(2)} s (${seconds.map((value) => value.toFixed(2)).join(", ")}) | ${runs[0]!.rpc.requests} calls in ${runs[0]!.rpc.httpRequests} HTTP requests |`);
  }
} finally {
  await bench.stop();
  await rm(work, { recursive: true, force: true });
}
console.log(`### Verifying a stacked credential: \`credreg verify\` of one file against a local hardhat node over HTTP

Wall time of the whole command (process start to exit), and the JSON-RPC calls it made: the stacked credential's own
reads and, for each component, its batch record, issuer record and status (read with the credential's, at the same
pinned block; what components share is read once).

| file | wall time, middle of 3 (all 3) | JSON-RPC |
|---|---:|---|
${rows.join("\n")}
`);
