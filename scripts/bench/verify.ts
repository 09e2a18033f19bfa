// `credreg verify` of 10,000 credential files against a local `hardhat node` over HTTP (loopback): wall time of the
// whole command, credentials per second, and the JSON-RPC calls it made; then `credreg verify --portfolio` of a
// 1,000-credential portfolio (scripts/bench/portfolio.ts). Prints markdown; run by scripts/bench.ts.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { attachProof, proofCreatedAt } from "../../src/batch/attachProof.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { achievementInputSchema } from "../../src/credential/issuanceInputSchema.ts";
import { startBenchRegistry } from "./benchRegistry.ts";
import { measurePortfolio } from "./portfolio.ts";

const COUNT = 10_000;
const REVOKED = 100;

const work = await mkdtemp(path.join(tmpdir(), "credreg-bench-verify-"));
const bench = await startBenchRegistry(path.join(work, "deployments"));
const rows: string[] = [];
let portfolioSection = "";
try {
  const { node, deployment, issuer } = bench;
  const { default: achievementJson } = await import("../../examples/achievement.json", { with: { type: "json" } });
  const template = { issuer: { id: "https://bench.example/issuer", name: "Bench University" }, achievement: achievementInputSchema.parse(achievementJson), registry: { chainId: 31337, address: deployment.address }, validFrom: "2026-01-01T00:00:00Z" };
  const batch = await buildBatchFromRecipients(template, Array.from({ length: COUNT }, (_, index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` })));
  const sent = await sendRegistryTransaction(registryContract(deployment.address, issuer), "anchorBatch", [batch.root, batch.leafCount]);
  // Some revoked credentials, so that the status events are read too.
  await sendRegistryTransaction(registryContract(deployment.address, issuer), "revokeCredentials", [batch.root, Array.from({ length: REVOKED }, (_, index) => index * 97), 3]);
  const anchor = { chainId: "eip155:31337", registry: deployment.address, issuer: issuer.address, transactionHash: sent.hash, blockNumber: sent.blockNumber };
  const dir = path.join(work, "credentials");
  await mkdir(dir);
  for (let index = 0; index < COUNT; index += 1) {
    await writeFile(path.join(dir, `credential-${String(index).padStart(5, "0")}.json`), JSON.stringify(attachProof(batch.credential(index), batch, index, anchor, proofCreatedAt(sent.blockTime)), null, 2));
  }

  /** One whole `credreg verify --json > results.json` run: wall time, and its summary checked. */
  const results = path.join(work, "results.json");
  const verifyOnce = async (extra: string[]) => {
    // The 30 MB of results go to a file, as `> results.json` would send them (not through this process's memory).
    const output = await open(results, "w");
    const started = performance.now();
    const child = spawn(process.execPath, [path.resolve("src/cli/credreg.ts"), "verify", dir, "--json", ...extra], {
      env: { PATH: process.env.PATH, CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: deployment.address },
      stdio: ["ignore", output.fd, "inherit"],
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const seconds = (performance.now() - started) / 1000;
    await output.close();
    if (code !== 1) throw new Error(`credreg verify exited ${code} (expected 1: some credentials are revoked)`);
    const { summary } = JSON.parse(await readFile(results, "utf8")) as { summary: { total: number; valid: number; invalid: number; error: number; rpc: { requests: number; httpRequests: number } } };
    if (summary.total !== COUNT || summary.invalid !== REVOKED || summary.valid !== COUNT - REVOKED) throw new Error(`unexpected summary ${JSON.stringify(summary)}`);
    return { seconds, summary };
  };
  // Three runs each (the machine is shared: the middle one is reported, all three are shown).
  for (const [label, extra] of [[`every core (${availableParallelism()} threads)`, []], ["one thread (`--threads 1`)", ["--threads", "1"]]] as const) {
    const runs = [];
    for (let attempt = 0; attempt < 3; attempt += 1) runs.push(await verifyOnce([...extra]));
    const seconds = runs.map((entry) => entry.seconds).sort((a, b) => a - b);
    const median = seconds[1]!;
    const { rpc } = runs[0]!.summary;
    rows.push(`| ${COUNT.toLocaleString("en-US")} files (${REVOKED} revoked), ${label} | ${median.toFixed(2)} s (${seconds.map((value) => value.toFixed(2)).join(", ")}) | ${Math.round(COUNT / median).toLocaleString("en-US")}/s | ${rpc.requests} calls in ${rpc.httpRequests} HTTP requests | ${median <= 2 ? "✔" : "✘"} |`);
  }
  portfolioSection = await measurePortfolio(bench, work);
} finally {
  await bench.stop();
  await rm(work, { recursive: true, force: true });
}
console.log(`### Verifying: \`credreg verify\` of a directory of credential files against a local hardhat node over HTTP

Wall time of the whole command (process start to exit: reading and parsing every file, format, integrity, each
batch record and status word read once, issuer records, the events of the revoked ones, the verdicts, the 30 MB JSON
output written to a file, as \`> results.json\` does), with the per-file work on every core (this thread and
worker threads), and on one thread for comparison.

| input | wall time, middle of 3 (all 3) | credentials per second | JSON-RPC | ≤ 2 s |
|---|---:|---:|---|---|
${rows.join("\n")}

${portfolioSection}`);
