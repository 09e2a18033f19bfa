import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { issuePortfolioCorpus, type PortfolioCorpus } from "../helpers/portfolioCorpus.ts";
import { type PortfolioFolder, writePortfolioFolder } from "../helpers/portfolioFolder.ts";
import { runCli } from "../helpers/runCli.ts";
import { zipArchive } from "../helpers/zipArchive.ts";

// The portfolio page (/portfolio), in Debian's Chromium: a candidate's 50 files (valid, revoked, suspended, other
// holders', forged; JSON and baked badges), chosen one by one or as one ZIP archive, verified in the browser against
// the chain and summed up exactly as `credreg verify --portfolio` sums them up; ZIP bombs and other hostile archives
// refused before anything is verified; everything from the files shown as text. With CREDREG_SCREENSHOTS=1 it also
// refreshes docs/screenshots/portfolio.png.
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = process.env.CREDREG_SCREENSHOTS === "1" ? path.resolve("docs/screenshots") : undefined;

type Json = Record<string, any>;

let node: LocalNode;
let work: string;
let corpus: PortfolioCorpus;
let folder: PortfolioFolder;
let server: RunningServer;
let browser: Browser;
/** The portfolio's file names (in name order), and what `credreg verify --portfolio --json` makes of the folder. */
let names: string[];
let pathwayNames: string[];
let expected: Json;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-portfolio-page-"));
  corpus = await issuePortfolioCorpus(node, work);
  folder = await writePortfolioFolder(corpus, work);
  names = (await readdir(folder.portfolioDir)).sort();
  pathwayNames = (await readdir(folder.pathwaysDir)).sort();
  const cli = await runCli(["verify", "--portfolio", folder.portfolioDir, "--pathways", folder.pathwaysDir, "--json"], { cwd: work, env: { CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: corpus.registry } });
  expect(cli.code, cli.stderr).toBe(0);
  expected = cli.json.portfolio as Json;
  const config = resolveConfig({ "rpc-url": node.url, registry: corpus.registry, store: path.join(work, "server.sqlite") }, {}, work);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: node.url } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** Every `source` of a portfolio summary, renamed by `rename` (the CLI names files by path, the page by name). */
function renameSources(value: unknown, rename: (source: string) => string): unknown {
  if (Array.isArray(value)) return value.map((entry) => renameSources(entry, rename));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, key === "source" && typeof entry === "string" ? rename(entry) : renameSources(entry, rename)]));
}

type Checked = { page: Page; violations: string[]; rpcRequests: () => number; workers: () => number };

/** Opens the portfolio page, chooses `files` (paths, or named bytes) and optional pathways, and waits for the outcome. */
async function checkInPage(files: string[] | { name: string; mimeType: string; buffer: Buffer }[], options: { pathways?: string[]; name?: string; email?: string } = {}): Promise<Checked> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1600 }, acceptDownloads: true });
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  let rpc = 0;
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/rpc") rpc += 1;
  });
  let workers = 0;
  page.on("worker", () => {
    workers += 1;
  });
  await page.goto(`${server.url}/portfolio`);
  if (options.pathways) await page.setInputFiles("#pathways", options.pathways);
  if (options.name) await page.fill("#holder-name", options.name);
  if (options.email) await page.fill("#holder-email", options.email);
  // Choosing the files starts the check.
  await page.setInputFiles("#files", files);
  await page.waitForSelector("#holder, #failure", { timeout: 120_000 });
  return { page, violations, rpcRequests: () => rpc, workers: () => workers };
}

/** The summary the page offers for download. */
async function downloaded(page: Page): Promise<Json> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  expect(download.suggestedFilename()).toBe("portfolio.json");
  return JSON.parse(await readFile((await download.path())!, "utf8")) as Json;
}

const texts = (page: Page, selector: string) => page.$$eval(selector, (nodes) => nodes.map((node) => node.textContent));

describe("portfolio page, in Chromium", () => {
  it("default: 50 files chosen with 5 pathways are summed up exactly as credreg verify --portfolio sums them up", async () => {
    const { page, violations, rpcRequests, workers } = await checkInPage(
      names.map((name) => path.join(folder.portfolioDir, name)),
      { pathways: pathwayNames.map((name) => path.join(folder.pathwaysDir, name)) },
    );
    expect(await page.textContent("#holder")).toBe("Portfolio of Ada Lovelace (the holder of the most valid credentials)");
    expect(await page.textContent('[data-fact="counted"]')).toBe("6 of 50");
    expect(await page.textContent('[data-fact="credits"]')).toBe("20 ECTS");
    expect(await page.textContent('[data-fact="eqf"]')).toBe("7");
    expect(await page.textContent('[data-fact="qualifications"]')).toBe("1");
    expect(await texts(page, "#skills li .text")).toEqual(["Python (computer programming) [ESCO]", "perform data analysis [ESCO]", "machine learning [ESCO]"]);
    expect(await texts(page, "#qualifications li .text")).toEqual(["Certificate in Applied Data Science (13 ECTS, EQF 6)"]);
    expect(await page.$$eval("#pathways-completed li", (items) => items.map((item) => item.getAttribute("data-pathway")))).toEqual([expected.pathways.completed[0].id]);
    expect(await page.$$eval("#pathways-nearly li", (items) => items.length)).toBe(expected.pathways.nearlyCompleted.length);
    expect(await page.$$eval("#other-holders li", (items) => items.length)).toBe(38);
    // The six set apart, each with its failing step, in the CLI's order.
    expect(await page.$$eval("#invalid li", (items) => items.map((item) => [item.querySelector(".source")?.textContent, item.getAttribute("data-status"), item.getAttribute("data-step")]))).toEqual(
      expected.invalid.map((entry: Json) => [path.basename(entry.source), entry.status, entry.step]),
    );
    expect(await page.textContent("#counts")).toBe("50 credentials: 6 counted for Ada Lovelace, 38 of other holders, 6 not valid, 0 could not be verified.");
    // The whole summary, as the CLI makes it from the same files.
    expect(await downloaded(page)).toEqual(renameSources(expected, (source) => path.basename(source)));
    // One bulk verification, on one worker (one group of up to 100): a handful of JSON-RPC requests, not one per credential.
    expect(workers()).toBe(1);
    expect(rpcRequests()).toBeGreaterThan(0);
    expect(rpcRequests()).toBeLessThan(15);
    expect(violations).toEqual([]);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "portfolio.png"), fullPage: true });
    await page.close();
  });

  it("default: the same files as one ZIP archive (in a folder, beside macOS clutter and a README) give the same summary", async () => {
    const entries = await Promise.all(names.map(async (name) => ({ name: `ada/${name}`, bytes: await readFile(path.join(folder.portfolioDir, name)) })));
    const archive = zipArchive([...entries, { name: "ada/README.txt", bytes: "My credentials." }, { name: "__MACOSX/ada/._ada-1-python.json", bytes: "junk" }]);
    const { page, violations } = await checkInPage([{ name: "ada.zip", mimeType: "application/zip", buffer: archive }], { pathways: pathwayNames.map((name) => path.join(folder.pathwaysDir, name)) });
    expect(await page.textContent('[data-fact="counted"]')).toBe("6 of 50");
    expect(await downloaded(page)).toEqual(renameSources(expected, (source) => `ada.zip:ada/${path.basename(source)}`));
    expect(violations).toEqual([]);
    await page.close();
  });

  it("behavior: 250 files are verified in groups of 100 on a worker per core; every result stays with its file", async () => {
    // Five copies of the 50 files, each copy in another order (rotated), so that a result given to the wrong file shows.
    const order = (copy: number) => names.map((_, index) => names[(index + copy * 7) % names.length]!);
    const copies = [0, 1, 2, 3, 4].flatMap((copy) => order(copy).map((name) => ({ copy, name })));
    const files = await Promise.all(copies.map(async ({ copy, name }) => ({ name: `${copy}-${name}`, mimeType: "application/octet-stream", buffer: await readFile(path.join(folder.portfolioDir, name)) })));
    const { page, workers } = await checkInPage(files);
    expect(await page.textContent('[data-fact="counted"]')).toBe("30 of 250");
    expect(await page.textContent("#counts")).toBe("250 credentials: 30 counted for Ada Lovelace, 190 of other holders, 30 not valid, 0 could not be verified.");
    // The credentials set apart and those counted, in input order, each with the step the CLI found for its file.
    const stepOf = new Map((expected.invalid as Json[]).map((entry) => [path.basename(entry.source), entry.step]));
    const counted = new Set((expected.credentials as Json[]).map((entry) => path.basename(entry.source)));
    expect(await page.$$eval("#invalid li", (items) => items.map((item) => [item.querySelector(".source")?.textContent, item.getAttribute("data-step")]))).toEqual(
      copies.filter(({ name }) => stepOf.has(name)).map(({ copy, name }) => [`${copy}-${name}`, stepOf.get(name)]),
    );
    expect(await page.$$eval("#counted li .source", (items) => items.map((item) => item.textContent))).toEqual(copies.filter(({ name }) => counted.has(name)).map(({ copy, name }) => `${copy}-${name}`));
    // Three groups on min(cores, 4) workers: more than one wherever the machine has two cores or more.
    expect(workers()).toBe(Math.min(3, Math.max(1, await page.evaluate(() => Math.min(4, navigator.hardwareConcurrency || 2)))));
    await page.close();
  });

  it("behavior: the candidate named, with an e-mail address that is not theirs: nothing is counted for them", async () => {
    const { page } = await checkInPage(
      names.slice(0, 8).map((name) => path.join(folder.portfolioDir, name)),
      { name: "Ada Lovelace", email: "someone.else@example.org" },
    );
    expect(await page.textContent("#holder")).toBe("Portfolio of Ada Lovelace (as named above; e-mail address checked)");
    expect(await page.textContent('[data-fact="counted"]')).toBe("0 of 8");
    await page.close();
  });

  it("security: a ZIP bomb, an encrypted entry and more than 1,000 credentials are refused with what to do, before any chain read", async () => {
    const bomb = zipArchive([{ name: "ada.json", bytes: await readFile(path.join(folder.portfolioDir, names[0]!)) }, { name: "bomb.json", bytes: Buffer.alloc(50 * 1024 * 1024, 0x20), declaredSize: 2048 }]);
    const refused = await checkInPage([{ name: "cv.zip", mimeType: "application/zip", buffer: bomb }]);
    expect(await refused.page.textContent("#failure")).toBe("cv.zip's entry bomb.json inflates to more than the 2,048 bytes it declares (a ZIP bomb, or a damaged archive); nothing was verified.");
    expect(await refused.page.textContent(".hint")).toBe("Make the archive again with a standard ZIP tool.");
    expect(await refused.page.$("#holder")).toBeNull();
    expect(refused.rpcRequests()).toBe(0);
    await refused.page.close();

    const encrypted = await checkInPage([{ name: "cv.zip", mimeType: "application/zip", buffer: zipArchive([{ name: "a.json", bytes: "{}", flags: 1 }]) }]);
    expect(await encrypted.page.textContent("#failure")).toBe("cv.zip's entry a.json is encrypted.");
    await encrypted.page.close();

    const many = zipArchive(Array.from({ length: 1001 }, (_, index) => ({ name: `c-${index}.json`, bytes: "{}" })));
    const tooMany = await checkInPage([{ name: "all.zip", mimeType: "application/zip", buffer: many }]);
    expect(await tooMany.page.textContent("#failure")).toBe("all.zip holds 1,001 credential files; at most 1,000 are read.");
    expect(tooMany.rpcRequests()).toBe(0);
    await tooMany.page.close();
  });

  it("security: file names and texts from the files are shown as text, never run", async () => {
    const name = `<img src=x id=injected onerror="document.title='pwned'">.json`;
    const { page, violations } = await checkInPage([{ name, mimeType: "application/json", buffer: Buffer.from("{ not json") }, { name: "ada.json", mimeType: "application/json", buffer: await readFile(path.join(folder.portfolioDir, names[0]!)) }]);
    expect(await page.$("#injected")).toBeNull();
    expect(await page.textContent("#invalid .source")).toBe(name);
    expect(await page.title()).not.toBe("pwned");
    expect(violations).toEqual([]);
    await page.close();
  });

  it("error: a pathway file that is not a pathway, and an e-mail address that is not one, are refused with what to fix", async () => {
    const files = [path.join(folder.portfolioDir, names[0]!)];
    const badPathway = await checkInPage(files, { pathways: [path.join(folder.portfolioDir, names[0]!)] });
    expect(await badPathway.page.textContent("#failure")).toBe(`The pathway file ${names[0]} is not a valid pathway.`);
    expect(await texts(badPathway.page, ".hint")).toContain("Write the pathway like examples/pathway.json (docs/stacking.md).");
    expect(badPathway.rpcRequests()).toBe(0);
    await badPathway.page.close();
    const badEmail = await checkInPage(files, { email: "ada at example" });
    expect(await badEmail.page.textContent("#failure")).toBe('"ada at example" is not an e-mail address.');
    await badEmail.page.close();
  });
});
