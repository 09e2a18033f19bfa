import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { type StackedOnNode, stackedOnNode } from "../helpers/stackedOnNode.ts";

// The verify page with a stacked credential (docs/stacking.md), in Debian's Chromium: the components listed under the
// qualification, each with its issuer, verdict and message, and the pathway's count; a component revoked later makes
// the page say NOT VALID and name it. Everything from the file is shown as text. With CREDREG_SCREENSHOTS=1 it also
// refreshes docs/screenshots/verify-stacked.png (and verify-stacked-revoked.png).
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = process.env.CREDREG_SCREENSHOTS === "1" ? path.resolve("docs/screenshots") : undefined;
const PATHWAY = "https://demo-university.example/pathways/data-science-certificate";

type Json = Record<string, any>;

let setup: StackedOnNode;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  setup = await stackedOnNode();
  const config = resolveConfig({ "rpc-url": setup.node.url, registry: setup.registry, store: path.join(setup.work, "server.sqlite") }, {}, setup.work);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: setup.node.url } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await setup?.node.stop();
});

/** Pastes `text` in a new page and verifies it; records Content-Security-Policy violations. */
async function verifyInPage(text: string): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${server.url}/`);
  await page.fill("#credential", text);
  await page.click("#verify");
  await page.waitForSelector("#verdict", { timeout: 60_000 });
  return { page, violations };
}

/** The components as listed: each item's status attribute and the text of its parts. */
const componentsOf = (page: Page) =>
  page.$$eval("#component-list li", (items) =>
    items.map((item) => ({
      id: item.getAttribute("data-component"),
      status: item.getAttribute("data-status"),
      verdict: item.querySelector(".component-verdict")?.textContent,
      name: item.querySelector(".component-name")?.textContent,
      issuer: item.querySelector(".component-issuer")?.textContent,
      message: item.querySelector(".message")?.textContent,
    })),
  );

describe("verify page, stacked credential, in Chromium", () => {
  it("default: a valid stacked credential lists its three components under the qualification, each valid, with its issuer; and the pathway's count", async () => {
    const credential = JSON.parse(setup.stackedText) as Json;
    const ids = credential.evidence.map((entry: Json) => entry.id as string);
    const { page, violations } = await verifyInPage(setup.stackedText);
    expect(await page.textContent("#verdict")).toBe("VALID");
    expect(await page.textContent("#facts")).toContain("Certificate in Applied Data Science");
    // Under the qualification's facts.
    expect(await page.$eval("#facts", (facts) => facts.nextElementSibling?.id)).toBe("components");
    expect(await page.textContent("#components h2")).toBe(`Components (pathway ${PATHWAY})`);
    const components = await componentsOf(page);
    expect(components.map(({ message, ...rest }) => rest)).toEqual([
      { id: ids[0], status: "valid", verdict: "valid", name: "Data Analysis with Python", issuer: "Demo University" },
      { id: ids[1], status: "valid", verdict: "valid", name: "Applied Statistics", issuer: "Demo University" },
      // Each issuer as the registry names it, once that component's issuer check passed.
      { id: ids[2], status: "valid", verdict: "valid", name: "SQL for Analysts", issuer: "Open College" },
    ]);
    for (const { message } of components) expect(message).toMatch(/^Not revoked, not suspended/);
    expect(await page.textContent("#pathway")).toBe("3 of 4 counted, 3 required, 14 ECTS of at least 13, each at EQF level 5 or above: the rule holds");
    expect(violations).toEqual([]);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "verify-stacked.png"), fullPage: true });
    await page.close();
  });

  it("security: a component entry's name that is HTML is shown as text; an altered file lists its components as not checked", async () => {
    const credential = JSON.parse(setup.stackedText) as Json;
    const name = `<img src=x id=injected onerror="document.title='pwned'">`;
    credential.evidence[1].name = name;
    const { page, violations } = await verifyInPage(JSON.stringify(credential, null, 2));
    expect(await page.textContent("#verdict")).toBe("NOT VALID");
    expect(await page.$("#injected")).toBeNull();
    expect(await page.$$eval("#components img", (images) => images.length)).toBe(0);
    const components = await componentsOf(page);
    expect(components.map((component) => [component.name, component.status, component.verdict, component.message])).toEqual([
      ["Data Analysis with Python", "unchecked", "not checked", "Not checked: the integrity step failed."],
      [name, "unchecked", "not checked", "Not checked: the integrity step failed."],
      ["SQL for Analysts", "unchecked", "not checked", "Not checked: the integrity step failed."],
    ]);
    expect(await page.textContent("#pathway")).toBe("3 of 4 required, at least 13 ECTS: not checked");
    expect(await page.title()).not.toBe("pwned");
    expect(violations).toEqual([]);
    await page.close();
  });

  it("behavior: after Open College revokes the SQL component, the page says NOT VALID and names it, Revoked, with the reason", async () => {
    const revoked = await setup.asCollege(["revoke", setup.components.sql, "--reason", "Misconduct"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const { page, violations } = await verifyInPage(setup.stackedText);
    expect(await page.textContent("#verdict")).toBe("NOT VALID");
    expect(await page.getAttribute('#steps li[data-step="components"]', "data-status")).toBe("failed");
    const components = await componentsOf(page);
    expect(components.map((component) => [component.name, component.status, component.verdict])).toEqual([
      ["Data Analysis with Python", "valid", "valid"],
      ["Applied Statistics", "valid", "valid"],
      ["SQL for Analysts", "invalid", "NOT VALID"],
    ]);
    expect(components[2]!.message).toMatch(/^status: Revoked at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(block \d+, transaction 0x[0-9a-f]{64}\) for reason 3 \(Misconduct: /);
    expect(await page.textContent('#component-list li[data-status="invalid"]')).toContain("SQL for Analysts");
    expect(await page.textContent("#pathway")).toBe("2 of 4 counted, 3 required, 10 ECTS of at least 13, each at EQF level 5 or above, counting the valid components only");
    expect(violations).toEqual([]);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "verify-stacked-revoked.png"), fullPage: true });
    await page.close();
  });
});
