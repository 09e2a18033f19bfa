// `credreg issue` of 100,000 recipients from CSV to anchored batch and written credentials, against a local
// Format 1 (--format-version 1): these figures are for format 1; format 2 has its own part (scripts/bench/issueV2.ts).
// `hardhat node` on 127.0.0.1: wall time, per-stage time and peak RSS, for one file per credential and for NDJSON.
// Prints markdown; run by scripts/bench.ts in its own process.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startBenchRegistry } from "./benchRegistry.ts";

const run = promisify(execFile);
const COUNT = 100_000;

const work = await mkdtemp(path.join(tmpdir(), "credreg-bench-issue-"));
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
      [path.resolve("src/cli/credreg.ts"), "issue", "--format-version", "1", "--input", csv, "--achievement", path.resolve("examples/achievement.json"), "--out", out, "--format", format, "--json"],
      {
        env: {
          PATH: process.env.PATH,
          CREDREG_RPC_URL: node.url,
          CREDREG_PRIVATE_KEY: issuer.privateKey,
          CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"),
          CREDREG_STORE: path.join(work, `store-${format}.sqlite`),
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const wall = (performance.now() - started) / 1000;
    const result = JSON.parse(stdout) as { leafCount: number; timings: Record<string, number>; peakRssMiB: number; status: string };
    if (result.status !== "issued" || result.leafCount !== COUNT) throw new Error(`unexpected result ${stdout.slice(0, 200)}`);
    const stages = Object.entries(result.timings).map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(", ");
    rows.push(`| ${format === "files" ? "one JSON file per credential" : "one credentials.ndjson"} | ${wall.toFixed(1)} s | ${stages} | ${result.peakRssMiB.toLocaleString("en-US")} MiB | ${wall <= 30 ? "✔" : "✘"} |`);
    await rm(out, { recursive: true, force: true });
  }
} finally {
  await bench.stop();
  await rm(work, { recursive: true, force: true });
}

console.log(`### Issuing: \`credreg issue\` of ${COUNT.toLocaleString("en-US")} recipients (CSV) against a local hardhat node

Wall time of the whole command (process start to exit, including reading the CSV, validating every row, building and
hashing on worker threads, committing the batch to the store, anchoring with 1 confirmation, writing every output
file and the batch file); target ≤ 30 s.

| output | wall time | stages | peak RSS | ≤ 30 s |
|---|---:|---|---:|---|
${rows.join("\n")}
`);
