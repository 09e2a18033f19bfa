import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { getCreateAddress } from "ethers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { type AppOptions } from "../../src/api/createApp.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { keyRegistryAddressOf } from "../../src/chain/keyRegistryAddressOf.ts";
import { registryInterface } from "../../src/chain/registryContract.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { verifyCredential } from "../../src/verifier/verifyCredentials.ts";

// POST /rpc forwards the reads a verification makes of the trusted registry, bounded, and nothing else. The node is
// reached through a recording proxy: what the node was asked is what the server forwarded.

type RpcCall = { jsonrpc: "2.0"; id: number | string | null; method: string; params?: unknown[] };
type RpcAnswer = { id: unknown; result?: unknown; error?: { code: number; message: string } };
type ErrorBody = { error: { code: string; message: string; details: unknown[] } };

let node: LocalNode;
let upstream: RecordingProxy;
let files: Credential[];
let registry: string;
let issuer: string;
const servers: RunningServer[] = [];

type RecordingProxy = { url: string; calls: RpcCall[]; delayMs: number; close(): Promise<void> };

/** A proxy on 127.0.0.1 in front of the node that records every call it is sent, optionally answering `delayMs` late. */
async function recordingProxy(target: string): Promise<RecordingProxy> {
  const state: RecordingProxy = { url: "", calls: [], delayMs: 0, close: async () => undefined };
  const proxy: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const payload = JSON.parse(body.toString("utf8")) as RpcCall | RpcCall[];
    state.calls.push(...(Array.isArray(payload) ? payload : [payload]));
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      proxy.close(() => resolve());
      proxy.closeAllConnections();
    });
  return state;
}

async function serve(app: AppOptions = {}): Promise<RunningServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-rpc-"));
  const config = resolveConfig({ "rpc-url": node.url, registry, store: path.join(dir, "store.sqlite") }, {}, dir);
  const server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: upstream.url, publicRateLimit: 100_000, ...app } });
  servers.push(server);
  return server;
}

let server: RunningServer;

beforeAll(async () => {
  node = await startHardhatNode();
  ({ files, registry, issuer } = await issuedBatchOnNode(node.url, { name: "RPC University", profileId: "https://rpc.example/issuer" }, Array.from({ length: 3 }, (_, index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` }))));
  upstream = await recordingProxy(node.url);
  server = await serve();
});

afterAll(async () => {
  for (const running of servers) await running.close();
  await upstream?.close();
  await node?.stop();
});

const rpc = (target: RunningServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${target.url}/rpc`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
const call = (method: string, params: unknown[] = [], id: number | string = 1): RpcCall => ({ jsonrpc: "2.0", id, method, params });
const issuerCall = () => ({ to: registry, data: registryInterface.encodeFunctionData("issuer", [issuer]) });

/** Sends `body` and expects it refused whole (status, code), with nothing sent to the node. */
async function expectRefused(body: unknown, status: number, code: string, message?: RegExp): Promise<ErrorBody> {
  const before = upstream.calls.length;
  const response = await rpc(server, body);
  const answer = (await response.json()) as ErrorBody;
  expect([response.status, answer.error.code], JSON.stringify(answer)).toEqual([status, code]);
  if (message) expect(answer.error.message).toMatch(message);
  expect(Array.isArray(answer.error.details)).toBe(true);
  expect(upstream.calls.length, "nothing reached the node").toBe(before);
  return answer;
}

describe("POST /rpc", () => {
  it("default: the verifier, pointed at /rpc, verifies a valid and a revoked credential (the page's reads all pass)", async () => {
    const options = { rpcUrl: `${server.url}/rpc`, trustedRegistries: [registry] };
    const valid = await verifyCredential(files[0]!, options);
    expect(valid.status, JSON.stringify(valid.steps)).toBe("valid");
    const revoked = await verifyCredential(files[1]!, options);
    expect(revoked.status).toBe("invalid");
    expect(revoked.steps.find((step) => step.name === "status")!.message).toMatch(/Revoked at \d{4}-.*for reason 3 \(Misconduct/);
    // The reads the verifier made: only these methods reached the node.
    expect(new Set(upstream.calls.map((sent) => sent.method))).toEqual(new Set(["eth_chainId", "eth_blockNumber", "eth_getCode", "eth_call", "eth_getLogs", "eth_getBlockByNumber"]));
  });

  it("behavior: the client's ids come back, calls are rebuilt, and an eth_call without gas is sent with the gas cap", async () => {
    upstream.calls.length = 0;
    const response = await rpc(server, [call("eth_chainId", [], "a"), call("eth_call", [issuerCall(), "latest"], 7)]);
    expect(response.status).toBe(200);
    const answers = (await response.json()) as RpcAnswer[];
    expect(answers.map((answer) => answer.id)).toEqual(["a", 7]);
    expect(answers[0]!.result).toBe("0x7a69");
    const [record] = registryInterface.decodeFunctionResult("issuer", answers[1]!.result as string);
    expect(record.name).toBe("RPC University");
    // What the node saw: our ids, our members, and gas 1,000,000 (0xf4240).
    expect(upstream.calls).toEqual([
      { jsonrpc: "2.0", id: 0, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 1, method: "eth_call", params: [{ ...issuerCall(), gas: "0xf4240" }, "latest"] },
    ]);
    // The registry's key registry (format 2 signing keys; its address derived from the registry's) is read too.
    const keyRegistry = keyRegistryAddressOf(registry);
    const keyRead = (await (await rpc(server, call("eth_getCode", [keyRegistry, "latest"], 3))).json()) as RpcAnswer;
    expect(keyRead.result).toMatch(/^0x[0-9a-f]{100,}$/);
    await expectRefused(call("eth_getCode", [getCreateAddress({ from: registry, nonce: 2 }), "latest"]), 403, "RpcCallNotAllowed", /must be the registry 0x[0-9a-fA-F]{40} or its key registry/);
    // A single call is answered as a single object.
    const single = (await (await rpc(server, call("eth_blockNumber", [], 9))).json()) as RpcAnswer;
    expect(single).toMatchObject({ jsonrpc: "2.0", id: 9, result: expect.stringMatching(/^0x/) });
  });

  it("error: the issue's attack (init code, any gas) and every other eth_call beyond a bounded read of the registry is refused", async () => {
    // One eth_call of 0x5b600056 (JUMPDEST PUSH1 0 JUMP: a loop) with gas 0xffffff burns seconds of the node's thread.
    await expectRefused(call("eth_call", [{ data: "0x5b600056", gas: "0xffffff" }, "latest"]), 403, "RpcCallNotAllowed", /eth_call's to must be the registry/);
    await expectRefused(call("eth_call", [{ to: "0x000000000000000000000000000000000000dEaD", data: "0x5b600056" }]), 403, "RpcCallNotAllowed", /to must be the registry/);
    await expectRefused(call("eth_call", [{ ...issuerCall(), gas: "0xffffff" }, "latest"]), 403, "RpcCallNotAllowed", /gas may be at most 1000000/);
    // State overrides (the third param) would run any code at the registry's address.
    await expectRefused(call("eth_call", [issuerCall(), "latest", { [registry]: { code: "0x5b600056" } }]), 403, "RpcCallNotAllowed", /state and block overrides are not forwarded/);
    await expectRefused(call("eth_call", [{ ...issuerCall(), value: "0x1" }, "latest"]), 403, "RpcCallNotAllowed", /not value/);
    await expectRefused(call("eth_call", [{ ...issuerCall(), authorizationList: [] }, "latest"]), 403, "RpcCallNotAllowed", /not authorizationList/);
    await expectRefused(call("eth_getCode", ["0x000000000000000000000000000000000000dEaD", "latest"]), 403, "RpcCallNotAllowed");
    await expectRefused(call("eth_getBlockByNumber", ["latest", true]), 403, "RpcCallNotAllowed", /without full transactions/);
    await expectRefused(call("eth_sendRawTransaction", ["0x00"]), 403, "MethodNotAllowed");
    await expectRefused(call("debug_traceCall", [issuerCall()]), 403, "MethodNotAllowed");
    // One refused call refuses the whole batch: nothing of it reaches the node.
    await expectRefused([call("eth_chainId"), call("eth_call", [{ data: "0x5b600056" }])], 403, "RpcCallNotAllowed");
    // At most 20 calls a request; at least one.
    await expectRefused(Array.from({ length: 21 }, (_, index) => call("eth_chainId", [], index)), 400, "InvalidRequest", /Send 1 to 20 JSON-RPC calls/);
    await expectRefused([], 400, "InvalidRequest");
    await expectRefused(["not a call"], 400, "InvalidRequest");
    const twenty = await rpc(server, Array.from({ length: 20 }, (_, index) => call("eth_chainId", [], index)));
    expect(twenty.status).toBe(200);
    expect(((await twenty.json()) as RpcAnswer[]).length).toBe(20);
  });

  it("error: eth_getLogs reads only the registry over a bounded range; a wider range is a JSON-RPC error saying \"block range\"", async () => {
    const latest = Number(((await (await rpc(server, call("eth_blockNumber"))).json()) as RpcAnswer).result);
    const logs = (filter: Record<string, unknown>) => call("eth_getLogs", [filter]);
    await expectRefused(logs({ fromBlock: "0x0", toBlock: "0x1" }), 403, "RpcCallNotAllowed", /address must be the registry/);
    await expectRefused(logs({ address: "0x000000000000000000000000000000000000dEaD", fromBlock: "0x0", toBlock: "0x1" }), 403, "RpcCallNotAllowed");
    await expectRefused(logs({ address: [registry, "0x000000000000000000000000000000000000dEaD"], fromBlock: "0x0", toBlock: "0x1" }), 403, "RpcCallNotAllowed");
    await expectRefused(logs({ address: registry, fromBlock: "earliest", toBlock: "latest" }), 403, "RpcCallNotAllowed", /must be block numbers/);
    await expectRefused(logs({ address: registry }), 403, "RpcCallNotAllowed", /must be block numbers/);

    // 2,001 blocks: answered here (no call to the node), as a JSON-RPC error the adaptive reader understands.
    const before = upstream.calls.length;
    const wide = await rpc(server, [logs({ address: registry, fromBlock: "0x0", toBlock: "0x7d0" }), call("eth_chainId", [], 2)]);
    expect(wide.status).toBe(200);
    const [refused, chainId] = (await wide.json()) as RpcAnswer[];
    expect(refused).toEqual({ jsonrpc: "2.0", id: 1, error: { code: -32005, message: "block range too large: this server reads at most 2000 blocks per eth_getLogs, asked 2001" } });
    expect(chainId).toMatchObject({ id: 2, result: "0x7a69" });
    expect(upstream.calls.slice(before).map((sent) => sent.method)).toEqual(["eth_chainId"]);

    // 2,000 blocks of the registry: forwarded, and the registry's events come back.
    const allowed = (await (await rpc(server, logs({ address: registry, fromBlock: "0x0", toBlock: `0x${Math.max(latest, 1999).toString(16)}` }))).json()) as RpcAnswer;
    expect(Array.isArray(allowed.result) && allowed.result.length).toBeGreaterThanOrEqual(3);
  });

  it("behavior: the verifier's adaptive reader shrinks its range on the \"block range\" answer and still reads the revocation", async () => {
    const narrow = await serve({ rpcLimits: { maxLogBlocks: 1 } });
    upstream.calls.length = 0;
    const revoked = await verifyCredential(files[1]!, { rpcUrl: `${narrow.url}/rpc`, trustedRegistries: [registry] });
    expect(revoked.steps.find((step) => step.name === "status")!.message).toMatch(/Revoked at \d{4}-.*for reason 3 \(Misconduct/);
    const ranges = upstream.calls.filter((sent) => sent.method === "eth_getLogs").map((sent) => (sent.params![0] as { fromBlock?: string; toBlock?: string; blockHash?: string }));
    // Only single blocks reached the node: the anchoring block's log, then the history one block at a time.
    expect(ranges.length).toBeGreaterThanOrEqual(3);
    for (const range of ranges) expect(range.fromBlock).toBe(range.toBlock);
  });

  it("error: each client has a budget of upstream time a minute and of requests in flight (429 beyond, with Retry-After)", async () => {
    const budgeted = await serve({ trustProxy: 1, rpcLimits: { upstreamMsPerMinute: 150, maxInFlightPerClient: 1 } });
    const as = (client: string) => ({ "x-forwarded-for": client });
    upstream.delayMs = 200;
    try {
      // In flight: a second request while the first waits on the chain is refused.
      const first = rpc(budgeted, call("eth_blockNumber"), as("203.0.113.1"));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const concurrent = await rpc(budgeted, call("eth_blockNumber"), as("203.0.113.1"));
      expect(concurrent.status).toBe(429);
      expect(((await concurrent.json()) as ErrorBody).error).toMatchObject({ code: "RateLimited", message: "Too many /rpc requests in flight: at most 1 at once." });
      expect((await first).status).toBe(200);
      // The first request used 200 ms of chain time, over the 150 ms a minute: this client waits, others do not.
      const spent = await rpc(budgeted, call("eth_blockNumber"), as("203.0.113.1"));
      expect(spent.status).toBe(429);
      expect(Number(spent.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(((await spent.json()) as ErrorBody).error).toMatchObject({ code: "RateLimited", message: "This client used its /rpc budget of 150 ms of chain time a minute." });
      expect((await rpc(budgeted, call("eth_blockNumber"), as("203.0.113.2"))).status).toBe(200);
      // A refused call costs no chain time, and is refused before the budget is looked at.
      expect((await rpc(budgeted, call("eth_sendRawTransaction", ["0x00"]), as("203.0.113.1"))).status).toBe(403);
    } finally {
      upstream.delayMs = 0;
    }
  });
});
