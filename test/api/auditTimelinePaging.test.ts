import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { HDNodeWallet, id } from "ethers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { AuditIndex } from "../../src/audit/AuditIndex.ts";
import { type AuditEntry, auditEntriesToCsv, toAuditEntry } from "../../src/audit/auditTimeline.ts";
import { CSV_STREAM_CHUNK } from "../../src/audit/writeTimelineCsv.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { runAudit } from "../../src/cli/auditCommand.ts";
import { Writable } from "node:stream";

const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public development accounts
const dev = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
const LEAVES = 3000;
const ROOT = id("paging batch");

let node: LocalNode;
let server: RunningServer;
let storeFile: string;
let registry: string;
let chainId: string;
let dir: string;

beforeAll(async () => {
  node = await startHardhatNode();
  const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const governor = dev(0).connect(provider);
  registry = (await deployRegistry({ signer: governor })).address;
  await sendRegistryTransaction(registryContract(registry, governor), "accreditIssuer", [dev(1).address, "Paging University", "https://paging.example/issuer"]);
  const issuer = registryContract(registry, dev(1).connect(provider));
  await sendRegistryTransaction(issuer, "anchorBatch", [ROOT, LEAVES]);
  // 500 indices a call: 500 CredentialStatusChanged events each, 3,000 in all.
  for (let start = 0; start < LEAVES; start += 500) {
    await sendRegistryTransaction(issuer, "revokeCredentials", [ROOT, Array.from({ length: 500 }, (_, offset) => start + offset), 1]);
  }
  chainId = (await provider.getNetwork()).chainId.toString();
  provider.destroy();

  dir = await mkdtemp(path.join(tmpdir(), "credreg-api-audit-paging-"));
  storeFile = path.join(dir, "store.sqlite");
  const config = resolveConfig({ "rpc-url": node.url, registry, store: storeFile }, {}, dir);
  server = await startServer({ chain: await openChain(config), store: storeFile, confirmations: 1, logger: pino({ level: "silent" }), port: 0 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await node?.stop();
});

type Page = { entries: AuditEntry[]; nextCursor: string | null };
const getJson = async (route: string) => {
  const response = await fetch(`${server.url}${route}`);
  return { status: response.status, body: (await response.json()) as Page & { error?: { code: string; message: string; details: unknown[] } } };
};

/** The whole timeline as the index holds it (what the routes answered whole before paging). */
const wholeTimeline = (filter: { issuer?: string; root?: string } = {}, file = storeFile) => {
  const index = AuditIndex.open(file);
  try {
    return index.events(chainId, registry, filter).map(toAuditEntry);
  } finally {
    index.close();
  }
};

describe("audit timelines: paging and streaming", () => {
  it("behavior: pages (limit + cursor) concatenate to exactly the whole timeline, no gap, no duplicate", async () => {
    const first = await getJson("/v1/audit/registry?limit=700");
    expect(first.status).toBe(200);
    const pages: Page[] = [first.body];
    while (pages.at(-1)!.nextCursor !== null) {
      const next = await getJson(`/v1/audit/registry?limit=700&cursor=${pages.at(-1)!.nextCursor}`);
      expect(next.status).toBe(200);
      pages.push(next.body);
    }
    const whole = wholeTimeline();
    expect(whole.length).toBeGreaterThan(LEAVES);
    expect(pages.map((page) => page.entries.length)).toEqual([...Array.from({ length: Math.floor(whole.length / 700) }, () => 700), ...(whole.length % 700 === 0 ? [] : [whole.length % 700])]);
    const concatenated = pages.flatMap((page) => page.entries);
    expect(concatenated).toEqual(whole);
    expect(new Set(concatenated.map((entry) => `${entry.blockNumber}:${entry.logIndex}`)).size).toBe(whole.length);

    // The default page is 1,000 events; the batch route pages with its filter too.
    const defaultPage = await getJson("/v1/audit/registry");
    expect(defaultPage.body.entries).toEqual(whole.slice(0, 1000));
    expect(defaultPage.body.nextCursor).toEqual(expect.any(String));
    const batchPage = await getJson(`/v1/audit/batches/${dev(1).address}/${ROOT}?limit=10000`);
    expect(batchPage.body.entries).toEqual(wholeTimeline({ issuer: dev(1).address, root: ROOT }));
    expect(batchPage.body.nextCursor).toBeNull();
  });

  it("error: a bad cursor or limit is 400 with the error shape", async () => {
    const forged = Buffer.from("12.x").toString("base64url");
    for (const cursor of ["not-a-cursor!", forged, "", Buffer.from("1.2.3").toString("base64url")]) {
      const { status, body } = await getJson(`/v1/audit/registry?cursor=${encodeURIComponent(cursor)}`);
      expect([status, body.error]).toEqual([400, { code: "InvalidCursor", message: "cursor must be the nextCursor of a previous page, unchanged.", details: [{ path: "$.query.cursor", value: cursor }] }]);
    }
    for (const limit of ["0", "10001", "ten", "1.5"]) {
      const { status, body } = await getJson(`/v1/audit/issuers/${dev(1).address}?limit=${limit}`);
      expect([status, body.error]).toEqual([400, { code: "InvalidLimit", message: "limit must be a whole number from 1 to 10000.", details: [{ path: "$.query.limit", value: limit }] }]);
    }
  });

  it("behavior: CSV is streamed from the index a chunk at a time, byte for byte the whole-string CSV", async () => {
    const page = vi.spyOn(AuditIndex.prototype, "page");
    const events = vi.spyOn(AuditIndex.prototype, "events");
    try {
      const response = await fetch(`${server.url}/v1/audit/registry`, { headers: { accept: "text/csv" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(response.headers.get("content-length")).toBeNull(); // chunked: never built whole
      const whole = wholeTimeline();
      expect(await response.text()).toBe(auditEntriesToCsv(whole));
      // The route never reads the whole timeline at once: keyset chunks of at most CSV_STREAM_CHUNK rows.
      expect(events.mock.calls.length).toBe(1); // wholeTimeline() above, the test's own baseline
      expect(page.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(whole.length / CSV_STREAM_CHUNK));
      expect(Math.max(...page.mock.calls.map((call) => call[3]))).toBe(CSV_STREAM_CHUNK);
      expect(Math.max(...page.mock.results.map((result) => (result.value as unknown[]).length))).toBeLessThanOrEqual(CSV_STREAM_CHUNK);

      const issuerCsv = await (await fetch(`${server.url}/v1/audit/issuers/${dev(1).address}?format=csv`)).text();
      expect(issuerCsv).toBe(auditEntriesToCsv(wholeTimeline({ issuer: dev(1).address })));
    } finally {
      page.mockRestore();
      events.mockRestore();
    }
  });

  it("behavior: credreg audit --format csv streams the timeline to stdout row by row, byte for byte the whole-string CSV", async () => {
    const cliStore = path.join(dir, "cli-store.sqlite");
    const page = vi.spyOn(AuditIndex.prototype, "page");
    const events = vi.spyOn(AuditIndex.prototype, "events");
    let text = "";
    let writes = 0;
    const stdout = new Writable({ write: (chunk: Buffer, _encoding, callback) => ((text += chunk.toString("utf8")), (writes += 1), callback()) });
    try {
      const result = await runAudit({ subject: "registry", args: [], format: "csv", reindex: false, config: resolveConfig({ "rpc-url": node.url, registry, store: cliStore, confirmations: "1" }, {}, dir), csvOut: stdout });
      expect(result.streamed).toBe(true);
      expect(result.text).toBe("");
      expect(events).not.toHaveBeenCalled();
      expect(Math.max(...page.mock.calls.map((call) => call[3]))).toBe(CSV_STREAM_CHUNK);
    } finally {
      page.mockRestore();
      events.mockRestore();
    }
    const whole = wholeTimeline({}, cliStore);
    expect(whole.length).toBeGreaterThan(LEAVES);
    expect(writes).toBeGreaterThanOrEqual(Math.ceil(whole.length / CSV_STREAM_CHUNK));
    expect(text).toBe(auditEntriesToCsv(whole));
  });
});
