import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { redactSecrets } from "../../src/api/redactSecrets.ts";
import { rpcUrlSecrets } from "../../src/api/rpcUrlSecrets.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";

// The RPC URL of a hosted provider carries its API key (in the path or the query). Whatever the chain does (answers
// HTTP 500 with a body, or stops listening), no response body and no log line carries the key, the URL or that body.

const PATH_KEY = "pathKey0123456789abcdefSECRET";
const QUERY_KEY = "queryKey9876543210fedcbaSECRET";
const UPSTREAM_BODY = "upstream-body-SECRET-text";

let node: LocalNode;
let server: RunningServer;
let provider: ProviderProxy;
let files: Credential[];
let issuer: string;
let root: string;
const logLines: string[] = [];

type ProviderProxy = { url: string; mode: "forward" | "fail"; close(): Promise<void> };

/**
 * A "hosted provider" on 127.0.0.1: forwards to the node while `mode` is "forward"; in "fail" answers HTTP 500 with
 * a body that quotes the key and the request URL (as some providers do); closed, its port is dead.
 */
async function providerProxy(target: string): Promise<ProviderProxy> {
  const state: ProviderProxy = { url: "", mode: "forward", close: async () => undefined };
  const proxy: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (state.mode === "fail") {
      response.writeHead(500, { "content-type": "text/plain" }).end(`${UPSTREAM_BODY}: bad request to ${request.url} (key ${PATH_KEY})`);
      return;
    }
    const answer = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
    response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v3/${PATH_KEY}?apikey=${QUERY_KEY}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      proxy.close(() => resolve());
      proxy.closeAllConnections();
    });
  return state;
}

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "Secret University", profileId: "https://secret.example/issuer" }, [0, 1, 2].map((index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` })));
  ({ files, issuer, root } = issued);
  provider = await providerProxy(node.url);
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-secrets-"));
  const config = resolveConfig({ "rpc-url": provider.url, registry: issued.registry, store: path.join(dir, "store.sqlite") }, {}, dir);
  const logger = pino({ level: "debug" }, { write: (line: string) => void logLines.push(line) });
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger, port: 0, app: { rpcUrl: provider.url, publicRateLimit: 100_000 } });
});

afterAll(async () => {
  await server?.close();
  await provider?.close();
  await node?.stop();
});

/** Every route that asks the chain, with what it must answer when the chain fails: [request, status, error code]. */
function chainRoutes(): [string, Promise<Response>, number, string | undefined][] {
  const json = { "content-type": "application/json" };
  return [
    ["healthz", fetch(`${server.url}/healthz`), 503, undefined],
    ["issuer", fetch(`${server.url}/v1/issuers/${issuer}`), 502, "ChainUnavailable"],
    ["batch", fetch(`${server.url}/v1/batches/${issuer}/${root}`), 502, "ChainUnavailable"],
    ["audit issuer", fetch(`${server.url}/v1/audit/issuers/${issuer}`), 502, "ChainUnavailable"],
    ["audit batch", fetch(`${server.url}/v1/audit/batches/${issuer}/${root}`), 502, "ChainUnavailable"],
    ["audit registry", fetch(`${server.url}/v1/audit/registry`), 502, "ChainUnavailable"],
    ["audit report", fetch(`${server.url}/v1/audit/report`), 502, "ChainUnavailable"],
    ["verify", fetch(`${server.url}/v1/verify`, { method: "POST", headers: json, body: JSON.stringify(files[0]) }), 200, undefined],
    ["rpc", fetch(`${server.url}/rpc`, { method: "POST", headers: json, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) }), 502, "ChainUnavailable"],
  ];
}

/** What must never leave the server: the key (either part), the provider's URL, its answer's body. */
const SECRETS = () => [PATH_KEY, QUERY_KEY, UPSTREAM_BODY, provider.url, new URL(provider.url).host, "requestUrl", "responseBody"];

async function expectNoSecrets(): Promise<void> {
  for (const [name, request, status, code] of chainRoutes()) {
    const response = await request;
    const text = await response.text();
    expect(response.status, `${name}: ${text}`).toBe(status);
    for (const secret of SECRETS()) expect(text, `${name} answered ${text}`).not.toContain(secret);
    const body = JSON.parse(text) as { error?: { code: string; message: string; details: unknown[] }; status?: string };
    if (code !== undefined) {
      expect(body.error?.code, name).toBe(code);
      expect(typeof body.error?.message).toBe("string");
      expect(Array.isArray(body.error?.details)).toBe(true);
    }
    expect(text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  const logs = logLines.join("\n");
  for (const secret of SECRETS()) expect(logs).not.toContain(secret);
}

describe("secrets never leave the server", () => {
  it("default: through the provider, everything works (the key is only in the URL the server calls)", async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: "ok" });
    expect((await fetch(`${server.url}/v1/audit/issuers/${issuer}`)).status).toBe(200);
  });

  it("error: the provider answers HTTP 500 with a body quoting the key: errors name the failure, not the URL or body", async () => {
    provider.mode = "fail";
    try {
      await expectNoSecrets();
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { chain: { reachable: boolean; error: string } };
      expect(health.chain).toMatchObject({ reachable: false, error: "The chain's RPC failed (SERVER_ERROR)." });
      const issuerAnswer = (await (await fetch(`${server.url}/v1/issuers/${issuer}`)).json()) as { error: { message: string } };
      expect(issuerAnswer.error.message).toBe("The chain's RPC failed (SERVER_ERROR).");
    } finally {
      provider.mode = "forward";
    }
  });

  it("error: the provider's port is dead: the same, and the server keeps answering", async () => {
    await provider.close();
    await expectNoSecrets();
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { chain: { error: string } };
    expect(health.chain.error).toBe("The chain's RPC failed (ECONNREFUSED).");
    expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200);
  });
});

describe("rpcUrlSecrets and redactSecrets", () => {
  it("default: the key-like parts of a URL (password, long path segments and query values, host) are removed", () => {
    const url = "https://alice:pa55word-0123@rpc.provider.example/v2/abcdefghij0123456789?apikey=zyxwvutsrq9876&chain=1";
    const secrets = rpcUrlSecrets(url);
    const text = `failed: ${url} (alice:pa55word-0123, key abcdefghij0123456789, zyxwvutsrq9876, host rpc.provider.example) chain=1 v2`;
    const redacted = redactSecrets(text, secrets, { keepUrls: true });
    for (const part of ["pa55word-0123", "abcdefghij0123456789", "zyxwvutsrq9876", "rpc.provider.example"]) expect(redacted).not.toContain(part);
    // Short parts (common words, "v2", "1") are left alone.
    expect(redacted).toContain("chain=1 v2");
    // Any other URL goes too unless kept; the result stays valid inside JSON text.
    expect(redactSecrets('{"message":"see https://other.example/x?y=z"}', [])).toBe('{"message":"see [redacted URL]"}');
    expect(JSON.parse(redactSecrets(JSON.stringify({ error: text }), secrets))).toEqual({ error: expect.not.stringContaining("abcdefghij0123456789") });
  });
});
