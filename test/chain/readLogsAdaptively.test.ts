import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyRpcError } from "../../src/chain/classifyRpcError.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { LogReadError, readAllLogs } from "../../src/chain/readLogsAdaptively.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { limitingRpcProxy } from "../helpers/limitingRpcProxy.ts";
import { rejectionOf } from "../helpers/rejectionOf.ts";

let node: LocalNode;
let registry: string;
let latest: number;

beforeAll(async () => {
  node = await startHardhatNode();
  ({ registry } = await issuedBatchOnNode(node.url, { name: "Logs University", profileId: "https://logs.example/issuer" }, [{ name: "A" }, { name: "B" }, { name: "C" }]));
  const { provider } = await connectRpc(node.url);
  await provider.send("hardhat_mine", ["0x40"]); // 64 empty blocks after the registry's events
  latest = await provider.getBlockNumber();
  provider.destroy();
});

afterAll(async () => {
  await node?.stop();
});

describe("classifyRpcError", () => {
  it("default: range refusals, rate limits and other failures are told apart, whatever the provider's wording", () => {
    const rpc = (code: number, message: string) => ({ error: { code, message } });
    for (const message of ["query exceeds max block range 10", "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range", "query returned more than 10000 results", "block range is too wide", "eth_getLogs is limited to 1000 blocks"]) {
      expect(classifyRpcError(rpc(-32005, message)), message).toBe("rangeTooLarge");
    }
    for (const message of ["rate limit exceeded", "Too Many Requests", "daily request limit reached", "Your app has exceeded its compute units per second capacity", "limit exceeded"]) {
      expect(classifyRpcError(rpc(-32005, message)), message).toBe("rateLimited");
    }
    expect(classifyRpcError({ code: "SERVER_ERROR", info: { responseStatus: "429 Too Many Requests" } })).toBe("rateLimited");
    expect(classifyRpcError(new Error("socket hang up"))).toBe("other");
  });
});

describe("readLogsAdaptively", () => {
  it("behavior: behind an RPC that refuses ranges over 10 blocks and rate-limits every 3rd request, it reads exactly what a direct read gives", async () => {
    const direct = await connectRpc(node.url);
    const reference = await readAllLogs(direct.provider, { address: registry }, 0, latest, { initialChunk: latest + 1 });
    direct.provider.destroy();
    expect(reference.length).toBeGreaterThan(3);

    const proxy = await limitingRpcProxy(node.url, { maxRange: 10, rateLimitEvery: 3 });
    // No retries in the provider: the reader itself must wait out the rate limits (and count them apart).
    const { provider } = await connectRpc(proxy.url, { rateLimitRetries: 0 });
    const stats = { getLogsCalls: 0, rangeReductions: 0, retries: 0, rateLimited: 0 };
    const logs = await readAllLogs(provider, { address: registry }, 0, latest, { initialChunk: 64, stats, sleep: async () => {} });
    expect(logs).toEqual(reference);
    expect(stats.rangeReductions).toBeGreaterThan(0);
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.rateLimited).toBe(stats.retries);
    expect(proxy.refused()).toBe(stats.rangeReductions);
    provider.destroy();
    await proxy.close();
  });

  it("behavior: the provider itself waits out JSON-RPC rate limits on any call", async () => {
    const proxy = await limitingRpcProxy(node.url, { maxRange: 10_000, rateLimitEvery: 2 });
    const { provider, stats } = await connectRpc(proxy.url, { rateLimitPauseMs: 1 });
    for (let call = 0; call < 6; call += 1) expect(await provider.getBlockNumber()).toBe(latest);
    expect(stats.rateLimited).toBeGreaterThan(0);
    provider.destroy();
    await proxy.close();
  });

  it("error: an RPC that keeps failing ends in a LogReadError that says what to do", async () => {
    const proxy = await limitingRpcProxy(node.url, { maxRange: 10, rateLimitEvery: 1, rateLimitOnly: "eth_getLogs" });
    const { provider } = await connectRpc(proxy.url, { rateLimitRetries: 0 });
    const error = await rejectionOf<LogReadError>(readAllLogs(provider, { address: registry }, 0, latest, { maxFailures: 2, sleep: async () => {} }));
    expect(error).toBeInstanceOf(LogReadError);
    expect(error.shortMessage).toMatch(/^Reading the registry's events failed \(the RPC keeps rate-limiting\): /);
    provider.destroy();
    await proxy.close();
  });
});
