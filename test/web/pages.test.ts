import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/issuer/openChain.ts";

// Debian's Chromium (apt-get install -y chromium), driven by playwright-core; with CREDREG_SCREENSHOTS=1 the test also
// refreshes the screenshots in docs/screenshots/.
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = process.env.CREDREG_SCREENSHOTS === "1" ? path.resolve("docs/screenshots") : undefined;

let node: LocalNode;
let server: RunningServer;
let browser: Browser;
let files: Credential[];
let issuer: string;
let root: string;

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "Demo University", profileId: "https://demo-university.example/issuer" }, ["Ada Lovelace", "Alan Turing", "Grace Hopper"].map((name, index) => ({ name, email: `person${index}@example.org` })));
  ({ issuer, root, files } = issued);
  const deployment = { address: issued.registry };

  const dir = await mkdtemp(path.join(tmpdir(), "credreg-web-"));
  const config = resolveConfig({ "rpc-url": node.url, registry: deployment.address, store: path.join(dir, "store.sqlite") }, {}, dir);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: node.url } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
});

async function verifyInPage(credential: unknown): Promise<{ page: Page; verdict: string }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1100 } });
  const posted: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posted.push(request.postData() ?? "");
  });
  await page.goto(`${server.url}/`);
  await page.fill("#credential", JSON.stringify(credential, null, 2));
  await page.click("#verify");
  await page.waitForSelector("#verdict", { timeout: 30_000 });
  // The credential's content never leaves the browser: only JSON-RPC reads go out.
  const name = (credential as Credential).credentialSubject?.identifier?.[0]?.identityHash;
  if (name) expect(posted.some((body) => body.includes(name))).toBe(false);
  return { page, verdict: (await page.textContent("#verdict")) ?? "" };
}

const statusOf = (page: Page, step: string) => page.getAttribute(`#steps li[data-step="${step}"]`, "data-status");

describe("web pages in Chromium", () => {
  it("default: a valid credential verifies in the browser with its issuer, achievement, skills, ECTS and level", async () => {
    const { page, verdict } = await verifyInPage(files[0]);
    expect(verdict).toBe("VALID");
    const facts = (await page.textContent("#facts")) ?? "";
    expect(facts).toContain("Demo University");
    expect(facts).toContain("Data Analysis with Python");
    expect(facts).toContain("Python (computer programming)");
    expect(facts).toMatch(/ECTS credits\s*5/);
    expect(facts).toMatch(/EQF level\s*6/);
    for (const step of ["format", "integrity", "inclusion", "anchor", "issuer", "status", "validity", "chain"]) expect(await statusOf(page, step)).toBe("passed");
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "verify-valid.png"), fullPage: true });
    // The share link carries the credential in the fragment, and verifies on its own.
    const share = await page.getAttribute("#share", "href");
    expect(share).toMatch(/\/#[A-Za-z0-9_-]+$/);
    const shared = await browser.newPage();
    await shared.goto(share!);
    await shared.waitForSelector("#verdict", { timeout: 30_000 });
    expect(await shared.textContent("#verdict")).toBe("VALID");
  });

  it("behavior: a tampered credential fails at integrity; a revoked one at status, saying when and why", async () => {
    const tampered = await verifyInPage({ ...files[2], validUntil: "2099-12-31T23:59:59Z" });
    expect(tampered.verdict).toBe("NOT VALID");
    expect(await statusOf(tampered.page, "integrity")).toBe("failed");
    if (SCREENSHOTS) await tampered.page.screenshot({ path: path.join(SCREENSHOTS, "verify-tampered.png"), fullPage: true });
    const revoked = await verifyInPage(files[1]);
    expect(revoked.verdict).toBe("NOT VALID");
    expect(await statusOf(revoked.page, "status")).toBe("failed");
    expect(await revoked.page.textContent('#steps li[data-step="status"]')).toMatch(/Revoked at \d{4}-.*for reason 3 \(Misconduct/);
    if (SCREENSHOTS) await revoked.page.screenshot({ path: path.join(SCREENSHOTS, "verify-revoked.png"), fullPage: true });
    const broken = await verifyInPage("not json at all");
    expect(broken.verdict).toBe("NOT VALID");
  });

  it("behavior: the audit page shows the issuer's timeline, filters it, and offers the CSV", async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 700 } });
    await page.goto(`${server.url}/audit`);
    await page.fill("#issuer", issuer);
    await page.click("#audit-form button");
    await page.waitForSelector("#timeline:not([hidden]) tbody tr", { timeout: 30_000 });
    expect(await page.$$eval("#timeline tbody tr td:nth-child(3)", (cells) => cells.map((cell) => cell.textContent))).toEqual(["IssuerAccredited", "BatchAnchored", "CredentialRevoked"]);
    await page.selectOption("#event-filter", "CredentialRevoked");
    expect(await page.$$eval("#timeline tbody tr", (rows) => rows.length)).toBe(1);
    expect(await page.textContent("#timeline tbody")).toContain("Misconduct");
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "audit.png"), fullPage: true });
    const csv = await page.getAttribute("#csv", "href");
    const download = await fetch(new URL(csv!, server.url));
    expect((await download.text()).split("\r\n")[0]).toMatch(/^time,blockNumber,transactionHash/);
    await page.fill("#root", root);
    await page.click("#audit-form button");
    await page.waitForFunction(() => document.querySelectorAll("#timeline tbody tr").length > 0);
  });

  it("error: /rpc forwards read-only calls only", async () => {
    const refused = await fetch(`${server.url}/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: ["0x00"] }) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("MethodNotAllowed");
    const chainId = await fetch(`${server.url}/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
    expect(((await chainId.json()) as { result: string }).result).toBe("0x7a69");
  });
});
