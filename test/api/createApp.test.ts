import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { openapiDocument } from "../../src/api/openapiDocument.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/issuer/openChain.ts";


let node: LocalNode;
let server: RunningServer;
let files: Credential[];
let issuer: string;
let root: string;
const logLines: string[] = [];

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "API University", profileId: "https://api.example/issuer" }, Array.from({ length: 5 }, (_, index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` })));
  ({ issuer, root, files } = issued);
  const deployment = { address: issued.registry };

  const dir = await mkdtemp(path.join(tmpdir(), "credreg-api-"));
  const config = resolveConfig({ "rpc-url": node.url, registry: deployment.address, store: path.join(dir, "store.sqlite") }, {}, dir);
  const logger = pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });
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
    const timeline = (await (await fetch(`${server.url}/v1/audit/issuers/${issuer}`)).json()) as { entries: { event: string }[] };
    expect(timeline.entries.map((entry) => entry.event)).toEqual(["IssuerAccredited", "BatchAnchored", "CredentialRevoked"]);
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

  it("behavior: request logs hold method, path, status and time, never bodies, salts or query strings", async () => {
    await fetch(`${server.url}/v1/audit/report?issuer=${issuer}`);
    const logs = logLines.join("\n");
    expect(logs).toContain('"path":"/v1/verify"');
    expect(logs).not.toContain(files[0]!.proof.salt);
    expect(logs).not.toContain("identityHash");
    expect(logs).not.toContain("?issuer=");
  });

  it("behavior: graceful shutdown lets the request in flight finish, then refuses new ones", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-api-shutdown-"));
    const config = resolveConfig({ "rpc-url": node.url, registry: files[0]!.proof.anchor.registry, store: path.join(dir, "store.sqlite") }, {}, dir);
    const second = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0 });
    const inFlight = fetch(`${second.url}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ credentials: Array.from({ length: 200 }, (_, index) => files[index % 5]) }) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = second.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { summary: { total: number } }).summary.total).toBe(200);
    await closed;
    await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
  });

  it("behavior: /openapi.json describes exactly the routes the server has", async () => {
    const served = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(served.openapi).toBe("3.1.0");
    expect(served).toEqual(JSON.parse(JSON.stringify(openapiDocument)));
    for (const [route, methods] of Object.entries(served.paths)) {
      for (const method of Object.keys(methods)) {
        const concrete = route.replace("{address}", issuer).replace("{issuer}", issuer).replace("{root}", root);
        const response = method === "post" ? await post(concrete, files[0]!) : await fetch(`${server.url}${concrete}`);
        expect(response.status, `${method} ${route}`).not.toBe(404);
      }
    }
  });
});
