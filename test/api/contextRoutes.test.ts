import { readFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import jsonld from "jsonld";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { CREDREG_CONTEXT_V2_PATH } from "../../src/api/contextRoutes.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { CREDREG_CONTEXT_V2_URL, credregContextV2 } from "../../src/credential/v2/credregContextV2.ts";
import { packagedDocumentLoader } from "../../src/credential/v2/packagedDocumentLoader.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";

// credreg serve publishes credreg's JSON-LD context (what https://w3id.org/credreg/v2 is to redirect to): the same
// document the package ships, so a JSON-LD tool that fetches it reads a format 2 credential as our verifier does.

let node: LocalNode;
let server: RunningServer;

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "Context University", profileId: "https://context.example/issuer" }, ["Ada", "Alan", "Grace"].map((name) => ({ name, email: `${name.toLowerCase()}@example.org` })));
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-context-"));
  const config = resolveConfig({ "rpc-url": node.url, registry: issued.registry, store: path.join(dir, "store.sqlite") }, {}, dir);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
});

describe(`GET ${CREDREG_CONTEXT_V2_PATH}`, () => {
  it("default: the packaged context as application/ld+json, readable from any origin, cached", async () => {
    const response = await fetch(`${server.url}${CREDREG_CONTEXT_V2_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/ld\+json/);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(await response.json()).toEqual(credregContextV2);
  });

  it("behavior: a format 2 credential expands in safe mode with the served context exactly as with the packaged one", async () => {
    const credential = JSON.parse(await readFile("test/fixtures/v2/credential-v2-shape.json", "utf8")) as object;
    let fetched = 0;
    const servedLoader = async (url: string) => {
      if (url !== CREDREG_CONTEXT_V2_URL) return packagedDocumentLoader(url);
      fetched += 1;
      return { contextUrl: null, documentUrl: url, document: await (await fetch(`${server.url}${CREDREG_CONTEXT_V2_PATH}`)).json() };
    };
    const served = await jsonld.expand(credential, { documentLoader: servedLoader, safe: true } as never);
    const packaged = await jsonld.expand(credential, { documentLoader: packagedDocumentLoader, safe: true } as never);
    expect(fetched).toBeGreaterThan(0);
    expect(served).toEqual(packaged);
    expect(JSON.stringify(served)).toContain("https://w3id.org/credreg/v2#CredregAnchorProof2026");
  });
});
