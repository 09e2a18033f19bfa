import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { pino } from "pino";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { credentialMutation, mayStayValid } from "../helpers/credentialMutations.ts";
import { deterministicBatchOnNode } from "../helpers/deterministicBatch.ts";

// The verify page (the verifier bundled for the browser) refuses forged files like the library does: the frozen
// corpus and a sample of the property's mutations, pasted into the page of a real Chromium.

const CHROMIUM = "/usr/bin/chromium";
const CORPUS = new URL("../fixtures/forged/", import.meta.url);
const SAMPLE_RUNS = 25;

let node: LocalNode;
let server: RunningServer;
let browser: Browser;
let page: Page;
let genuine: string;

beforeAll(async () => {
  node = await startHardhatNode();
  const { registry } = await deterministicBatchOnNode(node.url);
  genuine = await readFile(new URL("genuine.json", CORPUS), "utf8");
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-web-forgeries-"));
  const config = resolveConfig({ "rpc-url": node.url, registry, store: path.join(dir, "store.sqlite") }, {}, dir);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: node.url, publicRateLimit: 1_000_000 } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  page = await browser.newPage();
  await page.goto(`${server.url}/`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
});

/** Pastes `text` into the page, verifies, and returns the verdict shown ("VALID", "NOT VALID", "COULD NOT VERIFY"). */
async function verdictInPage(text: string): Promise<string> {
  await page.evaluate(() => document.getElementById("result")!.replaceChildren());
  await page.fill("#credential", text);
  await page.click("#verify");
  await page.waitForSelector("#verdict", { timeout: 30_000 });
  return (await page.textContent("#verdict")) ?? "";
}

describe("the verify page refuses forgeries", () => {
  it("behavior: every text file of the frozen corpus shows its expected verdict", async () => {
    const expected = JSON.parse(await readFile(new URL("expected.json", CORPUS), "utf8")) as Record<string, { status: string }>;
    for (const [name, want] of Object.entries(expected)) {
      const bytes = await readFile(new URL(name, CORPUS));
      let text: string;
      try {
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
      } catch {
        continue; // not text: a browser cannot paste it (the library and the API check those bytes)
      }
      expect(await verdictInPage(text), name).toBe(want.status === "valid" ? "VALID" : "NOT VALID");
    }
  });

  it(`behavior: ${SAMPLE_RUNS} mutations of a genuine file: VALID only when the canonical form is unchanged`, async () => {
    for (const mutation of fc.sample(credentialMutation(genuine), SAMPLE_RUNS)) {
      const verdict = await verdictInPage(mutation.text);
      expect(verdict === "VALID", `${mutation.kind} at ${mutation.path}: ${verdict}`).toBe(mayStayValid(genuine, mutation.text));
    }
  });
});
