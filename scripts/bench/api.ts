// `POST /v1/verify` throughput of `credreg serve` against a local `hardhat node` (loopback only): autocannon with 50
// concurrent connections for 15 seconds, one valid credential per request. Prints markdown; run by scripts/bench.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { pino } from "pino";
import { startServer } from "../../src/api/startServer.ts";
import { attachProof, proofCreatedAt } from "../../src/batch/attachProof.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { achievementInputSchema } from "../../src/credential/issuanceInputSchema.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { startBenchRegistry } from "./benchRegistry.ts";

const work = await mkdtemp(path.join(tmpdir(), "credreg-bench-api-"));
const bench = await startBenchRegistry();
const rows: string[] = [];
try {
  const { node, deployment, issuer } = bench;
  const { default: achievementJson } = await import("../../examples/achievement.json", { with: { type: "json" } });
  const template = { issuer: { id: "https://bench.example/issuer", name: "Bench University" }, achievement: achievementInputSchema.parse(achievementJson), registry: { chainId: 31337, address: deployment.address }, validFrom: "2026-01-01T00:00:00Z" };
  const batch = await buildBatchFromRecipients(template, Array.from({ length: 100 }, (_, index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` })));
  const sent = await sendRegistryTransaction(registryContract(deployment.address, issuer), "anchorBatch", [batch.root, batch.leafCount]);
  const credential = attachProof(batch.credential(0), batch, 0, { chainId: "eip155:31337", registry: deployment.address, issuer: issuer.address, transactionHash: sent.hash, blockNumber: sent.blockNumber }, proofCreatedAt(sent.blockTime));

  const config = resolveConfig({ "rpc-url": node.url, registry: deployment.address, store: path.join(work, "store.sqlite") }, {}, work);
  const server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { publicRateLimit: 10_000_000 } });
  const load = (label: string, bodies: string[]) =>
    autocannon({
      url: `${server.url}/v1/verify`,
      method: "POST",
      headers: { "content-type": "application/json" },
      // Several bodies: taken in turn, one per request.
      ...(bodies.length === 1 ? { body: bodies[0] } : { requests: bodies.map((body) => ({ method: "POST" as const, body })) }),
      connections: 50,
      duration: 15,
      // The load comes from a worker thread: the server keeps this process's main thread to itself.
      workers: 1,
    }).then((result) => `| ${label} | 50 | ${Math.round(result.requests.average).toLocaleString("en-US")} | ${result.latency.p50} ms | ${result.latency.p99} ms | ${result["2xx"].toLocaleString("en-US")} | ${(result.non2xx + result.errors).toLocaleString("en-US")} |`);
  rows.push(await load("POST /v1/verify, the same credential in every request", [JSON.stringify(credential)]));
  const all = Array.from({ length: batch.leafCount }, (_, index) =>
    JSON.stringify(attachProof(batch.credential(index), batch, index, { chainId: "eip155:31337", registry: deployment.address, issuer: issuer.address, transactionHash: sent.hash, blockNumber: sent.blockNumber }, proofCreatedAt(sent.blockTime))),
  );
  rows.push(await load(`POST /v1/verify, ${all.length} different credentials in turn`, all));
  await server.close();
} finally {
  await bench.stop();
  await rm(work, { recursive: true, force: true });
}
console.log(`### Serving: \`POST /v1/verify\` throughput (autocannon, loopback, hardhat node behind)

| request | connections | requests per second | p50 latency | p99 latency | 2xx | errors |
|---|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}
`);
