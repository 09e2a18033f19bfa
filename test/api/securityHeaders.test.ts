import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
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
import { openChain } from "../../src/chain/openChain.ts";

// Every response carries a strict Content-Security-Policy and the other security headers; the two pages work under
// it in Chromium with no violation; another site cannot frame them.

const CHROMIUM = "/usr/bin/chromium";

let node: LocalNode;
let server: RunningServer;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;
let files: Credential[];
let issuer: string;

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "Header University", profileId: "https://headers.example/issuer" }, [0, 1].map((index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` })));
  ({ files, issuer } = issued);
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-headers-"));
  const config = resolveConfig({ "rpc-url": node.url, registry: issued.registry, store: path.join(dir, "store.sqlite") }, {}, dir);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: node.url } });
  // Another origin (another port) that frames the verify page, as a site overlaying a fake verdict would.
  attacker = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>framing</title><iframe id="victim" src="${server.url}/" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(undefined)));
  await server?.close();
  await node?.stop();
});

/** A page that records every Content-Security-Policy violation (event and console) in `violations`. */
async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction("reportViolation", (text: string) => void violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${location.pathname}`);
    });
  });
  return { page, violations };
}

describe("security headers", () => {
  it("default: every response (pages, script, API, errors) has the CSP, frame, nosniff and referrer headers", async () => {
    const csp = /^default-src 'none';script-src 'self' 'sha256-[A-Za-z0-9+/]{43}=';style-src 'sha256-[A-Za-z0-9+/]{43}=';connect-src 'self';img-src 'self' data:;form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'$/;
    const requests: [string, Promise<Response>, number][] = [
      ["verify page", fetch(`${server.url}/`), 200],
      ["audit page", fetch(`${server.url}/audit`), 200],
      ["script", fetch(`${server.url}/assets/verify.js`), 200],
      ["API", fetch(`${server.url}/v1/issuers/${issuer}`), 200],
      ["openapi", fetch(`${server.url}/openapi.json`), 200],
      ["not found", fetch(`${server.url}/nothing`), 404],
      ["bad JSON", fetch(`${server.url}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" }), 400],
      ["rpc refused", fetch(`${server.url}/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [] }) }), 403],
    ];
    for (const [name, request, status] of requests) {
      const response = await request;
      expect(response.status, name).toBe(status);
      const header = (key: string) => response.headers.get(key);
      expect(header("content-security-policy"), name).toMatch(csp);
      expect([header("x-frame-options"), header("x-content-type-options"), header("referrer-policy"), header("cross-origin-opener-policy"), header("cross-origin-resource-policy")], name).toEqual(["DENY", "nosniff", "no-referrer", "same-origin", "same-origin"]);
      expect(header("x-powered-by"), name).toBeNull();
    }
    // The verify page has no inline script at all (its settings are a JSON data block, never executed).
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script type="application/json" id="credreg-config">', '<script type="module" src="/assets/verify.js">']);
  });

  it("behavior: both pages work in Chromium under the policy with no violation, and the policy blocks an injected inline script", async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${server.url}/`);
    await page.fill("#credential", JSON.stringify(files[0], null, 2));
    await page.click("#verify");
    await page.waitForSelector("#verdict", { timeout: 30_000 });
    expect(await page.textContent("#verdict")).toBe("VALID");
    // The inline style applies (allowed by its hash): the verdict is green and bold.
    expect(await page.$eval("#verdict", (element) => getComputedStyle(element).fontWeight)).toBe("700");

    await page.goto(`${server.url}/audit`);
    await page.fill("#issuer", issuer);
    await page.click("#audit-form button");
    await page.waitForFunction(() => /^\d+ of \d+ events$/.test(document.getElementById("audit-status")?.textContent ?? ""));
    expect(await page.textContent("#audit-status")).toBe("3 of 3 events");
    expect(violations).toEqual([]);

    // Markup that got into the page (as an XSS would put it there) does not run.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      document.body.append(script);
    });
    await page.waitForFunction(() => true);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
    await expect.poll(() => violations.length).toBeGreaterThan(0);
  });

  it("error: another site cannot frame the verify page", async () => {
    const page = await browser.newPage();
    await page.goto(attackerUrl);
    const frame = await (await page.waitForSelector("#victim")).contentFrame();
    await page.waitForTimeout(500);
    // The framed document is Chromium's error page, not the verify page: no textarea, no verify button.
    expect(await frame?.$("#credential").catch(() => null)).toBeNull();
    expect(frame?.url()).not.toBe(`${server.url}/`);
  });
});
