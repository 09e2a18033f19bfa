import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { id } from "ethers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/api/startServer.ts";
import { indexedBatchStatusCounts } from "../../src/audit/batchStatusCounts.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { readStatusWords } from "../../src/chain/registryReads.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { devWallet } from "../helpers/issuedBatchOnNode.ts";

const HUGE = id("a batch of 2^32 - 1 credentials");
const SMALL = id("a batch of 600 credentials");
const MAX_LEAVES = 0xffffffff;

let node: LocalNode;
let registry: string;
let issuer: string;
let deploymentBlock: number;

beforeAll(async () => {
  node = await startHardhatNode();
  const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const governor = devWallet(0).connect(provider);
  const wallet = devWallet(1).connect(provider);
  const deployment = await deployRegistry({ signer: governor });
  ({ address: registry, blockNumber: deploymentBlock } = deployment);
  issuer = wallet.address;
  await (await registryContract(registry, governor).getFunction("accreditIssuer")(issuer, "Counting University", "https://count.example/issuer")).wait();
  const asIssuer = registryContract(registry, wallet);
  const send = async (method: string, ...args: unknown[]) => (await asIssuer.getFunction(method)(...args)).wait();
  // Any issuer may anchor the largest batch the contract allows; its last credentials are as real as its first.
  await send("anchorBatch", HUGE, MAX_LEAVES);
  await send("revokeCredentials", HUGE, [MAX_LEAVES - 1, 4_000_000_000, 7], 3);
  await send("suspendCredentials", HUGE, [3_000_000_000], 8);
  // A small batch with every kind of change: suspended then revoked, suspended then reinstated, revoked.
  await send("anchorBatch", SMALL, 600);
  await send("suspendCredentials", SMALL, [1, 2, 300], 8);
  await send("revokeCredentials", SMALL, [1, 5, 599], 3);
  await send("reinstateCredentials", SMALL, [2], 9);
  provider.destroy();
});

afterAll(async () => {
  await node?.stop();
});

describe("batchStatusCounts", () => {
  const counts = async (root: string) => {
    const { provider, chainId } = await connectRpc(node.url);
    const genesisHash = (await provider.getBlock(0))!.hash!;
    const storeFile = path.join(await mkdtemp(path.join(tmpdir(), "credreg-counts-")), "store.sqlite");
    try {
      return await indexedBatchStatusCounts({ provider, storeFile, chainId, genesisHash, registry, fromBlock: deploymentBlock, confirmations: 1, issuer, root });
    } finally {
      provider.destroy();
    }
  };

  it("default: the counts are exactly what the status words hold, revoked-after-suspended and reinstated included", async () => {
    const { provider } = await connectRpc(node.url);
    let revoked = 0;
    let suspended = 0;
    for (let word = 0; word < 3; word += 1) {
      const bits = await readStatusWords(provider, registry, issuer, SMALL, word);
      revoked += bits.revoked.toString(2).replaceAll("0", "").length;
      suspended += bits.suspended.toString(2).replaceAll("0", "").length;
    }
    provider.destroy();
    expect({ revoked, suspended }).toEqual({ revoked: 3, suspended: 2 });
    expect(await counts(SMALL)).toEqual({ revoked, suspended });
  });

  it("behavior: a batch of 2^32 - 1 credentials is counted exactly (credentials past the first million too), at once", async () => {
    const started = performance.now();
    expect(await counts(HUGE)).toEqual({ revoked: 3, suspended: 1 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("behavior: GET /v1/batches/:issuer/:root gives the same exact counts", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-counts-api-"));
    const config = resolveConfig({ "rpc-url": node.url, registry, store: path.join(dir, "store.sqlite") }, {}, dir);
    const server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0 });
    try {
      const answer = await (await fetch(`${server.url}/v1/batches/${issuer}/${HUGE}`)).json();
      expect(answer).toMatchObject({ leafCount: MAX_LEAVES, revoked: 3, suspended: 1 });
      expect(await (await fetch(`${server.url}/v1/batches/${issuer}/${SMALL}`)).json()).toMatchObject({ leafCount: 600, revoked: 3, suspended: 2 });
    } finally {
      await server.close();
    }
  });
});
