import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import type { Express } from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { createApiContext } from "../../src/api/apiContext.ts";
import { createApp } from "../../src/api/createApp.ts";
import { openapiDocument } from "../../src/api/openapiDocument.ts";
import type { AuditEntry } from "../../src/audit/auditTimeline.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { type CredregConfig, resolveConfig } from "../../src/config/resolveConfig.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { documentedProperties, expectMatchesSchema } from "./openapiSchemas.ts";

let node: LocalNode;
let server: RunningServer;
let config: CredregConfig;
let files: Credential[];
let issuer: string;
let root: string;
const logLines: string[] = [];
const logRecords: Record<string, unknown>[] = [];
const logged = new EventEmitter();

/** The request log record of the request with this X-Request-Id, once the server has written it. */
function requestLogOf(id: string): Promise<Record<string, unknown>> {
  const found = logRecords.find((record) => record.id === id);
  if (found !== undefined) return Promise.resolve(found);
  return new Promise((resolve) => {
    const listener = (record: Record<string, unknown>) => {
      if (record.id !== id) return;
      logged.off("record", listener);
      resolve(record);
    };
    logged.on("record", listener);
  });
}

type Layer = { route?: { path: string; methods: Record<string, boolean | undefined> }; handle: unknown; slash?: boolean; rawPath?: unknown };

/** Every route express really registered, as "method /path/{param}", read from the app's router stack (sub-routers included). */
function registeredRoutes(stack: readonly Layer[], prefix = ""): string[] {
  return stack.flatMap((layer) => {
    if (layer.route !== undefined) {
      const route = layer.route;
      if (typeof route.path !== "string" || /[*()?]/.test(route.path)) throw new Error(`unexpected route path ${String(route.path)}: teach registeredRoutes about it`);
      const openapiPath = `${prefix}${route.path}`.replaceAll(/:(\w+)/g, "{$1}");
      return Object.keys(route.methods)
        .filter((method) => route.methods[method] === true)
        .map((method) => `${method} ${openapiPath}`);
    }
    const inner = (layer.handle as { stack?: Layer[] }).stack;
    if (!Array.isArray(inner)) return [];
    if (layer.slash !== true) throw new Error(`a router mounted at ${String(layer.rawPath)}: teach registeredRoutes its prefix`);
    return registeredRoutes(inner, prefix);
  });
}

const routesOf = (app: Express) => registeredRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack).sort();
const documentedRoutes = () => Object.entries(openapiDocument.paths).flatMap(([route, methods]) => Object.keys(methods).map((method) => `${method} ${route}`)).sort();

/**
 * A JSON-RPC proxy on 127.0.0.1 in front of `target` that can hold requests: after `holdNext()`, every request waits
 * (and the returned promise resolves when the first one arrives) until `release()`.
 */
async function holdingProxy(target: string) {
  let holding = false;
  let arrived: (() => void) | undefined;
  const held: (() => void)[] = [];
  const heldMethods: string[] = [];
  const proxy: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (holding) {
      const calls = JSON.parse(body.toString("utf8")) as { method: string } | { method: string }[];
      heldMethods.push(...(Array.isArray(calls) ? calls : [calls]).map((call) => call.method));
      await new Promise<void>((release) => {
        held.push(release);
        arrived?.();
      });
    }
    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    response.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    heldMethods,
    holdNext(): Promise<void> {
      holding = true;
      return new Promise<void>((resolve) => (arrived = resolve));
    },
    release(): void {
      holding = false;
      for (const release of held.splice(0)) release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "API University", profileId: "https://api.example/issuer" }, Array.from({ length: 5 }, (_, index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` })));
  ({ issuer, root, files } = issued);
  const deployment = { address: issued.registry };

  const dir = await mkdtemp(path.join(tmpdir(), "credreg-api-"));
  config = resolveConfig({ "rpc-url": node.url, registry: deployment.address, store: path.join(dir, "store.sqlite") }, {}, dir);
  const logger = pino(
    { level: "info" },
    {
      write: (line: string) => {
        logLines.push(line);
        const record = JSON.parse(line) as Record<string, unknown>;
        logRecords.push(record);
        logged.emit("record", record);
      },
    },
  );
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger, port: 0, app: { bodyLimit: "200kb", publicRateLimit: 100_000 } });
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
});

const post = (route: string, body: string | object, contentType = "application/json") =>
  fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("HTTP API", () => {
  it("default: POST /v1/verify answers the verifier's result for one credential and for many", async () => {
    const one = await post("/v1/verify", files[0]!);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ status: "valid", steps: expect.any(Array) });
    const many = await post("/v1/verify", { credentials: [files[0], files[1], { ...files[2], name: "Tampered" }] });
    const body = (await many.json()) as { summary: unknown; results: { status: string; steps: { name: string; status: string }[] }[] };
    expect(body.summary).toEqual({ total: 3, valid: 1, invalid: 2, error: 0 });
    expect(body.results[1]!.steps.find((step) => step.name === "status")!.status).toBe("failed");
    expect(body.results[2]!.steps.find((step) => step.name === "integrity")!.status).toBe("failed");
  });

  it("default: issuers, batches, audit timelines (JSON and CSV), report, health", async () => {
    expect(await (await fetch(`${server.url}/v1/issuers/${issuer}`)).json()).toMatchObject({ name: "API University", profileId: "https://api.example/issuer", active: true });
    expect(await (await fetch(`${server.url}/v1/batches/${issuer}/${root}`)).json()).toMatchObject({ leafCount: 5, revoked: 1, suspended: 0, batchRevoked: false });
    const timeline = (await (await fetch(`${server.url}/v1/audit/issuers/${issuer}`)).json()) as { entries: AuditEntry[] };
    expect(timeline.entries.map((entry) => entry.event)).toEqual(["IssuerAccredited", "BatchAnchored", "CredentialRevoked"]);
    // As /openapi.json describes it: the Timeline schema, and exactly the documented fields on every entry (no event
    // here is a key registry's: signingKey and compromisedAt are null; test/api/issuerRoutes.test.ts has key events).
    expectMatchesSchema("Timeline", timeline);
    for (const entry of timeline.entries) expect(Object.keys(entry).sort(), entry.event).toEqual(documentedProperties("AuditEntry"));
    expect(timeline.entries.map((entry) => [entry.signingKey, entry.compromisedAt])).toEqual(timeline.entries.map(() => [null, null]));
    expect(() => expectMatchesSchema("AuditEntry", { ...timeline.entries[0], signingKey: "not a key" })).toThrow();
    const csv = await fetch(`${server.url}/v1/audit/batches/${issuer}/${root}`, { headers: { accept: "text/csv" } });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect((await csv.text()).split("\r\n")[0]).toBe("time,blockNumber,transactionHash,logIndex,event,issuer,root,leafIndex,reason,reasonName,actor,sender,details,final");
    expect(await (await fetch(`${server.url}/v1/audit/report?issuer=${issuer}`)).json()).toMatchObject({ consistent: true });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: "ok", chain: { reachable: true, chainId: "31337" } });
  });

  it("error: bad input always gets a 4xx with the error shape, and the server keeps serving", async () => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    const cases: [Promise<Response>, number, string][] = [
      [post("/v1/verify", "{ not json"), 400, "MalformedJson"],
      [post("/v1/verify", JSON.stringify(files[0]), "text/plain"), 415, "UnsupportedMediaType"],
      [post("/v1/verify", { credentials: Array.from({ length: 400 }, () => files[0]) }), 413, "BodyTooLarge"],
      [post("/v1/verify", { credentials: [] }), 400, "InvalidRequest"],
      [post("/v1/verify", { credentials: "all of them" }), 400, "InvalidRequest"],
      [post("/v1/verify", { credentials: Array.from({ length: 1001 }, () => 1) }), 400, "InvalidRequest"],
      [fetch(`${server.url}/v1/issuers/not-an-address`), 400, "InvalidAddress"],
      [fetch(`${server.url}/v1/issuers/0x000000000000000000000000000000000000dEaD`), 404, "IssuerNotFound"],
      [fetch(`${server.url}/v1/batches/${issuer}/0x1234`), 400, "InvalidRoot"],
      [fetch(`${server.url}/v1/batches/${issuer}/0x${"77".repeat(32)}`), 404, "BatchNotFound"],
      [fetch(`${server.url}/v1/audit/report?issuer=nobody`), 400, "InvalidAddress"],
      [fetch(`${server.url}/v1/nothing-here`), 404, "NotFound"],
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      const body = (await response.json()) as { error: { code: string; message: string; details: unknown[] } };
      expect([response.status, body.error.code], JSON.stringify(body)).toEqual([status, code]);
      expect(typeof body.error.message).toBe("string");
      expect(Array.isArray(body.error.details)).toBe(true);
    }
    // Values that are JSON but no credential are results (invalid at format), not errors.
    for (const value of [deep, "42", '"text"', "null", JSON.stringify({ ...files[0], proof: { ...files[0]!.proof, merkleRoot: "0xzz" } }), JSON.stringify({ ...files[0], unknown: true })]) {
      const response = await post("/v1/verify", value);
      expect(response.status, value.slice(0, 40)).toBe(200);
      expect(((await response.json()) as { status: string }).status).toBe("invalid");
    }
    const wrongChain = await post("/v1/verify", { ...files[0], proof: { ...files[0]!.proof, anchor: { ...files[0]!.proof.anchor, chainId: "eip155:1" } } });
    expect(((await wrongChain.json()) as { status: string }).status).toBe("invalid");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("behavior: request logs hold method, path, status and time, never bodies, salts, keys or query strings", async () => {
    const cases: { request: Promise<Response>; method: string; path: string; status: number }[] = [
      { request: fetch(`${server.url}/v1/audit/report?issuer=${issuer}`), method: "GET", path: "/v1/audit/report", status: 200 },
      { request: post("/v1/verify?note=query-secret", files[0]!), method: "POST", path: "/v1/verify", status: 200 },
      {
        request: fetch(`${server.url}/v1/revocations?key=query-secret`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer header-secret-key" }, body: JSON.stringify({ root, indices: [0], reason: 1 }) }),
        method: "POST",
        path: "/v1/revocations",
        status: 503,
      },
      { request: fetch(`${server.url}/v1/nothing-here?token=query-secret`), method: "GET", path: "/v1/nothing-here", status: 404 },
    ];
    for (const { request, method, path: route, status } of cases) {
      const response = await request;
      expect(response.status).toBe(status);
      const id = response.headers.get("x-request-id")!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const record = await requestLogOf(id);
      // The whole record: pino's own fields, then exactly these (no body, query, headers or keys).
      expect(record).toEqual({ level: 30, time: expect.any(Number), pid: process.pid, hostname: hostname(), id, method, path: route, status, ms: expect.any(Number), msg: "request" });
      expect(Number.isInteger(record.ms) && (record.ms as number) >= 0).toBe(true);
    }
    const logs = logLines.join("\n");
    for (const secret of [files[0]!.proof.salt, "identityHash", "query-secret", "header-secret-key"]) expect(logs).not.toContain(secret);
  });

  it("behavior: graceful shutdown lets the request in flight finish, then refuses new ones", async () => {
    // The chain is reached through a proxy that holds the verification's first JSON-RPC call: while it is held, the
    // request is in flight (its handler started and waits for the chain), whatever the machine's speed.
    const proxy = await holdingProxy(node.url);
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-api-shutdown-"));
    const secondConfig = resolveConfig({ "rpc-url": proxy.url, registry: files[0]!.proof.anchor.registry, store: path.join(dir, "store.sqlite") }, {}, dir);
    const second = await startServer({ chain: await openChain(secondConfig), store: secondConfig.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0 });
    try {
      const handlerAskedTheChain = proxy.holdNext();
      let answered = false;
      const inFlight = fetch(`${second.url}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ credentials: Array.from({ length: 200 }, (_, index) => files[index % 5]) }) });
      const settle = () => (answered = true);
      void inFlight.then(settle, settle);
      await handlerAskedTheChain;
      expect(proxy.heldMethods.length).toBeGreaterThan(0);

      let closedYet = false;
      const closed = second.close().then(() => (closedYet = true));
      // Closing: no new connection is accepted, and close() waits for the request in flight.
      await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
      expect([answered, closedYet]).toEqual([false, false]);

      proxy.release();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { summary: { total: number } }).summary.total).toBe(200);
      await closed;
      await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
    } finally {
      proxy.release();
      await second.close();
      await proxy.close();
    }
  });

  it("behavior: /openapi.json describes exactly the routes the server has", async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(served.openapi).toBe("3.1.0");
    // What is served is the document in the source...
    expect(served).toEqual(JSON.parse(JSON.stringify(openapiDocument)));
    // ...and that document lists exactly the routes express registered, in both directions.
    const app = server.server.listeners("request")[0] as Express;
    expect(documentedRoutes()).toEqual(routesOf(app));
    // Every documented path and method answers (something other than "no route").
    const values: Record<string, string> = { address: issuer, issuer, root, id: randomUUID() };
    for (const [route, methods] of Object.entries(served.paths)) {
      for (const method of Object.keys(methods)) {
        const concrete = route.replaceAll(/\{(\w+)\}/g, (_, name: string) => values[name] ?? `unknown parameter ${name}`);
        expect(concrete, route).not.toContain("unknown parameter");
        const response = method === "post" ? await post(concrete, files[0]!) : await fetch(`${server.url}${concrete}`, { method: method.toUpperCase() });
        expect(response.status, `${method} ${route}`).not.toBe(404);
      }
    }
    // With the web pages on (rpcUrl), the only routes beyond the API's are the pages, their scripts, /rpc and public
    // share links (a page and its badge image).
    const chain = await openChain(config);
    const context = createApiContext(chain, path.join(await mkdtemp(path.join(tmpdir(), "credreg-api-web-")), "store.sqlite"), 1, pino({ level: "silent" }));
    try {
      const withPages = routesOf(createApp(context, { rpcUrl: node.url }));
      expect(withPages.filter((route) => !documentedRoutes().includes(route))).toEqual(["get /", "get /assets/portfolio-worker.js", "get /assets/portfolio.js", "get /assets/verify.js", "get /audit", "get /c/{payload}", "get /c/{payload}/badge.png", "get /portfolio", "post /rpc"]);
      expect(documentedRoutes().filter((route) => !withPages.includes(route))).toEqual([]);
    } finally {
      context.audit.close();
      chain.close();
    }
  });
});
