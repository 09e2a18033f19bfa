import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheRpcReads } from "../../src/chain/cacheRpcReads.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { verifyCredential } from "../../src/verifier/verifyCredentials.ts";
import { deterministicBatchOnNode } from "../helpers/deterministicBatch.ts";
import { devWallet } from "../helpers/issuedBatchOnNode.ts";

let node: LocalNode;
let registry: string;
let root: string;
let genuine: string;

beforeAll(async () => {
  node = await startHardhatNode();
  ({ registry, root } = await deterministicBatchOnNode(node.url));
  genuine = await readFile(new URL("../fixtures/forged/genuine.json", import.meta.url), "utf8");
});

afterAll(async () => {
  await node?.stop();
});

/** A provider whose upstream calls are counted (connectRpc's stats), with the read cache on top. */
async function cachedProvider(blockNumberTtlMs: number) {
  const { provider, stats } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const cache = cacheRpcReads(provider, { blockNumberTtlMs });
  return { provider, upstream: stats, cache };
}

describe("cacheRpcReads", () => {
  it("default: verifying the same credential again sends (almost) nothing upstream, with the same result", async () => {
    const { provider, upstream, cache } = await cachedProvider(60_000);
    const first = await verifyCredential(genuine, { provider, trustedRegistries: [registry] });
    const afterFirst = upstream.requests;
    const shown = (result: typeof first) => ({ status: result.status, steps: result.steps.map((step) => [step.name, step.status, step.message]) });
    for (let round = 0; round < 20; round += 1) expect(shown(await verifyCredential(genuine, { provider, trustedRegistries: [registry] }))).toEqual(shown(first));
    expect(first.status).toBe("valid");
    expect(upstream.requests - afterFirst).toBe(0);
    expect(cache.hits).toBeGreaterThan(20 * 4);
    provider.destroy();
  });

  it("behavior: identical reads in flight at once go upstream once", async () => {
    const { provider, upstream, cache } = await cachedProvider(60_000);
    const before = upstream.requests;
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyCredential(genuine, { provider, trustedRegistries: [registry] })));
    expect(results.every((result) => result.status === "valid")).toBe(true);
    const single = await cachedProvider(60_000);
    await verifyCredential(genuine, { provider: single.provider, trustedRegistries: [registry] });
    // Ten concurrent verifications cost what one costs (ethers' own block-number polling aside).
    expect(upstream.requests - before).toBeLessThanOrEqual(single.upstream.requests - 1 + 1);
    expect(cache.coalesced).toBeGreaterThan(0);
    provider.destroy();
    single.provider.destroy();
  });

  it("behavior: a revocation is seen at once when this provider sent it, and within the block-number lifetime when another did", async () => {
    const { provider } = await cachedProvider(300);
    const file = JSON.parse(genuine) as { proof: { leafIndex: number } };
    expect((await verifyCredential(genuine, { provider, trustedRegistries: [registry] })).status).toBe("valid");
    // Another process suspends it: seen once the cached block number has expired (300 ms here).
    const elsewhere = await connectRpc(node.url, { pollingIntervalMs: 50 });
    await (await registryContract(registry, devWallet(1).connect(elsewhere.provider)).getFunction("suspendCredentials")(root, [file.proof.leafIndex], 8)).wait();
    elsewhere.provider.destroy();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await verifyCredential(genuine, { provider, trustedRegistries: [registry] })).steps.find((step) => step.name === "status")!.status).toBe("failed");
    // This provider reinstates it: the very next verification sees it (sending forgets the block number).
    await (await registryContract(registry, devWallet(1).connect(provider)).getFunction("reinstateCredentials")(root, [file.proof.leafIndex], 9)).wait();
    expect((await verifyCredential(genuine, { provider, trustedRegistries: [registry] })).status).toBe("valid");
    provider.destroy();
  });

  it("error: failed reads are not cached", async () => {
    const { provider, upstream } = await cachedProvider(60_000);
    const before = upstream.requests;
    await expect(provider.send("eth_call", [{ to: registry, data: "0xdeadbeef" }, "0x1"])).rejects.toThrow();
    await expect(provider.send("eth_call", [{ to: registry, data: "0xdeadbeef" }, "0x1"])).rejects.toThrow();
    expect(upstream.requests - before).toBe(2);
    provider.destroy();
  });
});
