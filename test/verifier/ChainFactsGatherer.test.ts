import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { ChainFactsGatherer } from "../../src/verifier/ChainFactsGatherer.ts";
import { type ChainQuery, gatherChainFacts } from "../../src/verifier/gatherChainFacts.ts";
import { chainQueriesOf, readCredentialInput } from "../../src/verifier/readCredentialInput.ts";
import type { VerifyOptions } from "../../src/verifier/verificationTypes.ts";
import { deterministicBatchOnNode } from "../helpers/deterministicBatch.ts";

// The chain is asked while credentials are still being read (bulk verification), and the facts are exactly those
// asked all at once; a failure of a read started early is reported at the end, never lost or thrown elsewhere.

const CORPUS = path.resolve(import.meta.dirname, "../fixtures/forged");
let node: LocalNode | undefined;

afterEach(async () => {
  await node?.stop();
  node = undefined;
});

/** The forged corpus (valid, revoked, suspended and forged files of the deterministic batch), `copies` times over. */
async function corpusQueries(copies: number): Promise<ChainQuery[]> {
  const names = (await readdir(CORPUS)).filter((name) => name.endsWith(".json") && name !== "expected.json").sort();
  const read = await Promise.all(names.map(async (name) => readCredentialInput(await readFile(path.join(CORPUS, name)))));
  const all = Array.from({ length: copies }, () => read).flat();
  return chainQueriesOf(all);
}

/** Facts as plain data, without the moment of `now` (the only part that differs between two gatherings). */
const plain = (facts: object) => JSON.parse(JSON.stringify(facts, (key, value: unknown) => (value instanceof Map ? Object.fromEntries(value) : typeof value === "bigint" ? value.toString() : key === "at" ? undefined : value))) as unknown;

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

describe("ChainFactsGatherer", () => {
  it("behavior: above the bulk threshold the chain is asked before finish(); the facts and the calls equal one gathering of all", async () => {
    node = await startHardhatNode();
    const { registry } = await deterministicBatchOnNode(node.url);
    const queries = await corpusQueries(3);
    expect(queries.length).toBeGreaterThan(40);
    const first = queries.slice(0, 30);
    const rest = queries.slice(30);

    const early = await connectRpc(node.url);
    const options: VerifyOptions = { provider: early.provider, trustedRegistries: [registry] };
    const gatherer = new ChainFactsGatherer(options);
    const before = early.stats.requests;
    gatherer.add(first);
    // Batch records, status words, issuer and anchoring transaction of the first 30: asked while "reading" goes on.
    expect(await until(() => early.stats.requests > before + 3, 5_000)).toBe(true);
    gatherer.add(rest);
    const facts = await gatherer.finish();
    expect(facts.rpc?.ok).toBe(true);
    expect(facts.onChain.size).toBeGreaterThan(40);
    expect([...facts.onChain.values()].some((status) => status.revoked)).toBe(true);
    expect([...facts.histories.values()].some((events) => events.length > 0)).toBe(true);

    const once = await connectRpc(node.url);
    const all = await gatherChainFacts(queries, { provider: once.provider, trustedRegistries: [registry] });
    expect(plain(facts)).toEqual(plain(all));
    // Each record, word, issuer, transaction and history read once, however the credentials came in.
    expect(early.stats.requests - before).toBe(once.stats.requests - 1);
    early.provider.destroy();
    once.provider.destroy();
  });

  it("error: a node that stops answering after the first reads makes rpc a failure for all at finish(), nothing thrown", async () => {
    node = await startHardhatNode();
    const { registry } = await deterministicBatchOnNode(node.url);
    const queries = await corpusQueries(3);
    const gatherer = new ChainFactsGatherer({ rpcUrl: node.url, trustedRegistries: [registry], timeoutMs: 2_000 });
    gatherer.add(queries.slice(0, 30));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await node.stop();
    node = undefined;
    gatherer.add(queries.slice(30).map((query) => ({ ...query, credential: { proof: { ...query.credential.proof, merkleRoot: `0x${"ab".repeat(32)}` } } })));
    const facts = await gatherer.finish();
    expect(facts.rpc).toMatchObject({ ok: false, code: "RpcError" });
  });

  it("behavior: close() before finish() abandons the reads: the connection it opened is released, and the facts say the chain was not read", async () => {
    node = await startHardhatNode();
    const { registry } = await deterministicBatchOnNode(node.url);
    const queries = await corpusQueries(3);
    const gatherer = new ChainFactsGatherer({ rpcUrl: node.url, trustedRegistries: [registry] });
    gatherer.add(queries);
    gatherer.close();
    expect(() => gatherer.add(queries)).toThrow(/after finish/);
    const facts = await gatherer.finish();
    expect(facts.rpc?.ok).toBe(false);
  });
});
