// `credreg issue` of 100,000 recipients in format 2 (signed Open Badges 3.0, the default): validate, sign, hash,
// tree, commit, anchor, every file including the baked badge (SVG), the status list; against a local `hardhat node` on
// 127.0.0.1. Wall time, per-stage time and peak RSS, for one file per credential (+ baked SVG) and for NDJSON.
// Prints markdown; run by scripts/bench.ts in its own process. CREDREG_BENCH_COUNT overrides the count (trials).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startBenchRegistry } from "./benchRegistry.ts";

const run = promisify(execFile);
const COUNT = Number(process.env.CREDREG_BENCH_COUNT ?? 100_000);
const TARGET_S = 150;

/** Bytes of every file below `dir`. */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}

const work = await mkdtemp(path.join(tmpdir(), "credreg-bench-issue-v2-"));
const bench = await startBenchRegistry(path.join(work, "deployments"));
const rows: string[] = [];
try {
  const { node, issuer } = bench;
  const csv = path.join(work, "recipients.csv");
  const lines = ["name,email,grade,creditsEarned"];
  for (let index = 0; index < COUNT; index += 1) lines.push(`Learner ${index},learner${index}@example.org,${"ABCD"[index % 4]},5`);
  await writeFile(csv, `${lines.join("\n")}\n`);

  for (const format of ["files", "ndjson"] as const) {
    const out = path.join(work, `out-${format}`);
    const started = performance.now();
    const { stdout } = await run(
      process.execPath,
      [path.resolve("src/cli/credreg.ts"), "issue", "--input", csv, "--achievement", path.resolve("examples/achievement.json"), "--out", out, "--format", format, "--json"],
      {
        env: {
          PATH: process.env.PATH,
          CREDREG_RPC_URL: node.url,
          CREDREG_PRIVATE_KEY: issuer.privateKey,
          CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"),
          CREDREG_STORE: path.join(work, `store-${format}`, "issuer.sqlite"),
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const wall = (performance.now() - started) / 1000;
    const result = JSON.parse(stdout) as { leafCount: number; timings: Record<string, number>; peakRssMiB: number; status: string; formatVersion: number };
    if (result.status !== "issued" || result.leafCount !== COUNT || result.formatVersion !== 2) throw new Error(`unexpected result ${stdout.slice(0, 200)}`);
    const stages = Object.entries(result.timings).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(", ");
    const written = `${((await sizeOf(out)) / 1024 ** 3).toFixed(2)} GiB`;
    rows.push(`| ${format === "files" ? "one JSON file + one baked SVG per credential" : "one credentials.ndjson"} | ${wall.toFixed(1)} s | ${stages} | ${written} | ${result.peakRssMiB.toLocaleString("en-US")} MiB | ${wall <= TARGET_S ? "✔" : "✘"} |`);
    await rm(out, { recursive: true, force: true });
  }
} finally {
  await bench.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(`### Issuing format 2: \`credreg issue\` of ${COUNT.toLocaleString("en-US")} signed Open Badges 3.0 credentials against a local hardhat node

Wall time of the whole command (process start to exit): reading and validating the CSV, binding the signing key on
chain (first run of this issuer), building, signing (\`eddsa-rdfc-2022\`, one Ed25519 signature per credential) and
hashing each credential, the Merkle tree, committing to the store, anchoring with 1 confirmation, writing every
file (with \`--format files\`, each credential's JSON file and its baked badge) and the batch's status list credential;
target ≤ ${TARGET_S} s (issue 12).

| output | wall time | stages | written | peak RSS | ≤ ${TARGET_S} s |
|---|---:|---|---:|---:|---|
${rows.join("\n")}
`);
