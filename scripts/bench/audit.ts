// The auditor's index: a registry with 100,000 status events (revocations) on a local `hardhat node`, indexed from
// scratch over HTTP, then updated incrementally after 1,000 more; plus printing the whole timeline as CSV.
// Prints markdown; run by scripts/bench.ts in its own process.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { id } from "ethers";
import { AuditIndex } from "../../src/audit/AuditIndex.ts";
import { auditEntriesToCsv, toAuditEntry } from "../../src/audit/auditTimeline.ts";
import { indexRegistryEvents } from "../../src/audit/indexRegistryEvents.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { startBenchRegistry } from "./benchRegistry.ts";

const EVENTS = 100_000;
const PER_TX = 1_000;

const bench = await startBenchRegistry();
const work = await mkdtemp(path.join(tmpdir(), "credreg-bench-audit-"));
const rows: string[] = [];
try {
  const { provider, chainId, deployment, issuer } = bench;
  const asIssuer = registryContract(deployment.address, issuer);
  const revokeAll = async (root: string, count: number) => {
    await sendRegistryTransaction(asIssuer, "anchorBatch", [root, count]);
    for (let start = 0; start < count; start += PER_TX) {
      await sendRegistryTransaction(asIssuer, "revokeCredentials", [root, Array.from({ length: Math.min(PER_TX, count - start) }, (_, offset) => start + offset), 1]);
    }
  };
  await revokeAll(id("bench audit 1"), EVENTS);

  const index = AuditIndex.open(path.join(work, "store.sqlite"));
  const options = { provider, index, chainId, registry: deployment.address, fromBlock: deployment.blockNumber, confirmations: 1 };
  let started = performance.now();
  const first = await indexRegistryEvents(options);
  let seconds = (performance.now() - started) / 1000;
  rows.push(`| first index, from the deployment block | ${first.eventsRead.toLocaleString("en-US")} | ${seconds.toFixed(1)} s | ${Math.round(first.eventsRead / seconds).toLocaleString("en-US")}/s | ${first.getLogsCalls} |`);

  await revokeAll(id("bench audit 2"), 1_000);
  started = performance.now();
  const update = await indexRegistryEvents(options);
  seconds = (performance.now() - started) / 1000;
  rows.push(`| incremental update after 1,000 more | ${update.eventsRead.toLocaleString("en-US")} | ${seconds.toFixed(2)} s | ${Math.round(update.eventsRead / seconds).toLocaleString("en-US")}/s | ${update.getLogsCalls} |`);

  started = performance.now();
  const csv = auditEntriesToCsv(index.events(chainId.toString(), deployment.address).map(toAuditEntry));
  seconds = (performance.now() - started) / 1000;
  rows.push(`| the whole timeline as CSV, from the index | ${(csv.split("\r\n").length - 2).toLocaleString("en-US")} | ${seconds.toFixed(2)} s | ${Math.round((csv.split("\r\n").length - 2) / seconds).toLocaleString("en-US")}/s | 0 |`);
  index.close();
} finally {
  await bench.stop();
  await rm(work, { recursive: true, force: true });
}
console.log(`### Auditing: indexing a registry with ${EVENTS.toLocaleString("en-US")} status events (local hardhat node, HTTP)

| step | events | time | events per second | eth_getLogs calls |
|---|---:|---:|---:|---:|
${rows.join("\n")}
`);
