import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { JsonRpcProvider, Network } from "ethers";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/runCli.ts";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { parseTrustProxy } from "../../src/api/parseTrustProxy.ts";
import { type AppOptions } from "../../src/api/createApp.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { InvalidInputError } from "../../src/errors/issuerErrors.ts";
import type { ChainContext } from "../../src/chain/openChain.ts";

// The rate limit counts per client. Behind a reverse proxy every request comes from the proxy's address: with
// --trust-proxy the client is the address the trusted proxy forwarded; without it X-Forwarded-For is ignored (a
// client cannot pick a fresh bucket by sending one).

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const running: RunningServer[] = [];

/** A server whose chain is never asked (the routes used here do not read it). */
async function serve(app: AppOptions): Promise<RunningServer> {
  const provider = new JsonRpcProvider("http://127.0.0.1:9", undefined, { staticNetwork: Network.from(31337n) });
  const chain: ChainContext = { provider, chainId: 31337n, genesisHash: `0x${"00".repeat(32)}`, registryAddress: REGISTRY, registry: registryContract(REGISTRY, provider), fromBlock: 0, close: () => provider.destroy() };
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-trust-proxy-"));
  const server = await startServer({ chain, store: path.join(dir, "store.sqlite"), confirmations: 1, logger: pino({ level: "silent" }), port: 0, app });
  running.push(server);
  return server;
}

afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});

const from = (server: RunningServer, forwardedFor?: string) => fetch(`${server.url}/openapi.json`, { headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } });

async function expectLimited(response: Response, perMinute: number): Promise<void> {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(await response.json()).toEqual({ error: { code: "RateLimited", message: `Too many requests: at most ${perMinute} a minute.`, details: [expect.stringMatching(/^Retry after \d+ s\.$/)] } });
}

describe("trust proxy and the rate limit", () => {
  it("default: without --trust-proxy, X-Forwarded-For is ignored: every header value shares the socket's bucket", async () => {
    const server = await serve({ publicRateLimit: 2 });
    expect((await from(server, "203.0.113.1")).status).toBe(200);
    expect((await from(server, "203.0.113.2")).status).toBe(200);
    await expectLimited(await from(server, "203.0.113.3"), 2);
  });

  it("behavior: with trustProxy 1 (one proxy in front), each forwarded client has its own bucket", async () => {
    const server = await serve({ publicRateLimit: 2, trustProxy: 1 });
    expect((await from(server, "203.0.113.1")).status).toBe(200);
    const second = await from(server, "203.0.113.1");
    expect(second.status).toBe(200);
    expect(second.headers.get("ratelimit-policy")).toBe("2;w=60");
    await expectLimited(await from(server, "203.0.113.1"), 2);
    // Another client behind the same proxy is not limited by the first one.
    expect((await from(server, "203.0.113.2")).status).toBe(200);
    // With one trusted hop, only the last address counts: a client prepending a fake one stays itself.
    await expectLimited(await from(server, "198.51.100.9, 203.0.113.1"), 2);
  });

  it("behavior: with trusted proxy addresses (loopback), the same", async () => {
    const server = await serve({ publicRateLimit: 1, trustProxy: parseTrustProxy("loopback") });
    expect((await from(server, "203.0.113.1")).status).toBe(200);
    await expectLimited(await from(server, "203.0.113.1"), 1);
    expect((await from(server, "203.0.113.2")).status).toBe(200);
  });

  it("default: --trust-proxy values", () => {
    expect(parseTrustProxy("false")).toBe(false);
    expect(parseTrustProxy("0")).toBe(false);
    expect(parseTrustProxy("2")).toBe(2);
    expect(parseTrustProxy("loopback, 10.0.0.0/8,fd00::/8,192.0.2.1")).toEqual(["loopback", "10.0.0.0/8", "fd00::/8", "192.0.2.1"]);
  });

  it("error: --trust-proxy true (any client names itself) and values that are no addresses are refused", () => {
    expect(() => parseTrustProxy("true")).toThrow(InvalidInputError);
    expect(() => parseTrustProxy("true")).toThrow("--trust-proxy true would let any client choose its own address (and its rate-limit bucket).");
    expect(() => parseTrustProxy("10.0.0.0/33")).toThrow("--trust-proxy 10.0.0.0/33 is not a hop count or a list of proxy addresses.");
    expect(() => parseTrustProxy("proxy.example")).toThrow(InvalidInputError);
    expect(() => parseTrustProxy("99")).toThrow("--trust-proxy 99: at most 32 proxy hops.");
  });

  it("error: credreg serve --trust-proxy is checked before anything starts", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "credreg-serve-flag-"));
    const refused = await runCli(["serve", "--trust-proxy", "true", "--port", "0"], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--trust-proxy true would let any client choose its own address");
    const bad = await runCli(["serve", "--trust-proxy", "somewhere", "--port", "0"], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--trust-proxy somewhere is not a hop count or a list of proxy addresses.");
  });

  it("behavior: credreg serve --trust-proxy 1 reaches the app: two clients behind one proxy have two buckets", async () => {
    const node = await startHardhatNode();
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-serve-trust-"));
    const { registry } = await issuedBatchOnNode(node.url, { name: "Proxy University", profileId: "https://proxy.example/issuer" }, [0, 1].map((index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` })));
    const child = spawn(process.execPath, [path.resolve("src/cli/credreg.ts"), "serve", "--port", "0", "--trust-proxy", "1", "--rpc-url", node.url, "--registry", registry, "--store", path.join(dir, "store.sqlite")], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: dir, CREDREG_LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const found = /credreg serving (http:\/\/\S+)/.exec(output);
          if (found) resolve(found[1]!);
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${output}`)));
      });
      // The default public limit, 600 a minute: client A spends it all...
      const get = (client: string) => fetch(`${url}/openapi.json`, { headers: { "x-forwarded-for": client } });
      for (let sent = 0; sent < 600; sent += 50) {
        const statuses = await Promise.all(Array.from({ length: 50 }, async () => (await get("203.0.113.1")).status));
        expect(new Set(statuses)).toEqual(new Set([200]));
      }
      await expectLimited(await get("203.0.113.1"), 600);
      // ...and client B, behind the same proxy (the same socket address), still gets through.
      expect((await get("203.0.113.2")).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(undefined)));
      await node.stop();
    }
  });
});
