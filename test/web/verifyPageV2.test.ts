import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
import { Wallet } from "ethers";
import { pino } from "pino";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { buildPng, flipped } from "../credential/v2/badge/testPng.ts";
import { runCli } from "../helpers/runCli.ts";

// The verify page with format 2 credentials (signed Open Badges 3.0, as `credreg issue` writes them), in Debian's
// Chromium: the badge image, the facts, the verdict, the share links and "Add to LinkedIn"; baked badges chosen as
// files; and public share links, whose preview (Open Graph / Twitter meta, the badge as PNG) the server makes from
// its own verification. With CREDREG_SCREENSHOTS=1 it also refreshes docs/screenshots/verify-v2-*.png.
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = process.env.CREDREG_SCREENSHOTS === "1" ? path.resolve("docs/screenshots") : undefined;
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // Hardhat development account #1
const ISSUER = new Wallet(ISSUER_KEY).address;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Json = Record<string, any>;

let node: LocalNode;
let server: RunningServer;
let browser: Browser;
let work: string;
/** Credentials with the generated SVG badge: dir and the text of credential-000002.json. */
let svgDir: string;
let svgText: string;
/** Credentials with the issuer's PNG badge. */
let pngDir: string;
let pngBadge: Uint8Array;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-web-v2-"));
  const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_STORE: path.join(work, "issuer.sqlite") };
  const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  for (const args of [["deploy"], ["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"]]) {
    const run = await runCli(args, { cwd: work, env: governor });
    expect(run.code, run.stderr).toBe(0);
  }
  const issue = async (out: string, ...extra: string[]) => {
    const run = await runCli(["issue", "--input", path.resolve("examples/recipients.csv"), "--achievement", path.resolve("examples/achievement.json"), "--out", path.join(work, out), ...extra], { cwd: work, env: { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY } });
    expect(run.code, run.stderr).toBe(0);
    return path.join(work, out, "credentials");
  };
  svgDir = await issue("svg");
  pngBadge = buildPng(64, 64); // small enough for a public link (a link carries at most 48,000 characters)
  await writeFile(path.join(work, "badge.png"), pngBadge);
  pngDir = await issue("png", "--badge-image", path.join(work, "badge.png"));
  svgText = await readFile(path.join(svgDir, "credential-000002.json"), "utf8");
  const registry = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address as string;
  const config = resolveConfig({ "rpc-url": node.url, registry, store: path.join(work, "server.sqlite") }, {}, work);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: node.url } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await node?.stop();
});

/** A page that records Content-Security-Policy violations and every POST body it sends. */
async function openPage(url = `${server.url}/`): Promise<{ page: Page; violations: string[]; posted: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1300 } });
  const violations: string[] = [];
  const posted: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on("request", (request) => {
    if (request.method() === "POST") posted.push(request.postData() ?? "");
  });
  await page.goto(url);
  return { page, violations, posted };
}

const verdictOf = async (page: Page) => {
  await page.waitForSelector("#verdict", { timeout: 60_000 });
  return page.textContent("#verdict");
};
const factsOf = (page: Page) => page.$$eval("#facts dt", (terms) => Object.fromEntries(terms.map((term) => [term.textContent, term.nextElementSibling?.textContent])));
const stepsOf = (page: Page) => page.$$eval("#steps li", (items) => Object.fromEntries(items.map((item) => [item.getAttribute("data-step"), item.getAttribute("data-status")])));
/** The text a public link's path carries (raw deflate, base64url), decoded here with node:zlib, not the page's code. */
const textOfPublicLink = (url: string) => inflateRawSync(Buffer.from(new URL(url).pathname.slice("/c/".length), "base64url")).toString("utf8");

const EXPECTED_FACTS = {
  Holder: "Ada Lovelace",
  Achievement: "Data Analysis with Python",
  "Issuer (on chain)": "Demo University",
  "ECTS credits": "5",
  Hours: "125",
  "EQF level": "6",
  Skills: "Python (computer programming), perform data analysis",
};

/** The badge <img> as the browser decoded it (a broken or blocked image has naturalWidth 0). */
const badgeOf = (page: Page) => page.$eval("#badge", (image) => ({ src: (image as HTMLImageElement).src, width: (image as HTMLImageElement).naturalWidth, alt: (image as HTMLImageElement).alt }));

describe("verify page, format 2, in Chromium", () => {
  it("default: a pasted format 2 credential is VALID with its badge, facts, every step passed, and share and LinkedIn links; it never leaves the browser", async () => {
    const credential = JSON.parse(svgText) as Json;
    const { page, violations, posted } = await openPage();
    await page.fill("#credential", svgText);
    await page.click("#verify");
    expect(await verdictOf(page)).toBe("VALID");
    expect(await factsOf(page)).toEqual({ ...EXPECTED_FACTS, Issued: credential.validFrom.slice(0, 10) });
    expect(await stepsOf(page)).toEqual({ format: "passed", integrity: "passed", inclusion: "passed", anchor: "passed", issuer: "passed", signature: "passed", recipient: "skipped", status: "passed", components: "skipped", validity: "passed", chain: "passed" });
    const badge = await badgeOf(page);
    expect(badge).toMatchObject({ src: credential.credentialSubject.achievement.image.id, alt: credential.credentialSubject.achievement.image.caption });
    expect(badge.width).toBeGreaterThan(0);
    // Share links: the private one carries the text in the #, the public one in the path (deflated), both exact.
    await page.waitForSelector("#sharing:not([hidden])");
    expect(await page.getAttribute("#share", "href")).toBe(`${server.url}/#${Buffer.from(svgText).toString("base64url")}`);
    const publicUrl = (await page.getAttribute("#public-share", "href"))!;
    expect(publicUrl.startsWith(`${server.url}/c/`)).toBe(true);
    expect(textOfPublicLink(publicUrl)).toBe(svgText);
    // LinkedIn's add-to-profile certification link, filled from the credential and the chain's issuer name.
    const linkedIn = new URL((await page.getAttribute("#linkedin", "href"))!);
    expect(`${linkedIn.origin}${linkedIn.pathname}`).toBe("https://www.linkedin.com/profile/add");
    expect(Object.fromEntries(linkedIn.searchParams)).toEqual({
      startTask: "CERTIFICATION_NAME",
      name: "Data Analysis with Python",
      organizationName: "Demo University",
      issueYear: credential.validFrom.slice(0, 4),
      issueMonth: String(Number(credential.validFrom.slice(5, 7))),
      certId: credential.id,
      certUrl: publicUrl,
    });
    expect(await page.isVisible("#linkedin")).toBe(true);
    expect(violations).toEqual([]);
    // Only JSON-RPC reads went out: never the holder's name, the signature or the badge.
    expect(posted.length).toBeGreaterThan(0);
    for (const body of posted) {
      expect(body).not.toContain("Ada Lovelace");
      expect(body).not.toContain(credential.proof[0].proofValue);
      expect(body).not.toContain("data:image");
    }
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "verify-v2-valid.png"), fullPage: true });
    // The holder's e-mail, checked in the browser against the hashed one: the right one passes, another is NOT VALID.
    for (const [email, verdict, status] of [["ada@example.org", "VALID", "passed"], ["mallory@example.org", "NOT VALID", "failed"]] as const) {
      await page.fill("#recipient", email);
      await page.click("#verify");
      await page.waitForSelector(`#steps li[data-step="recipient"][data-status="${status}"]`, { timeout: 60_000 });
      expect(await page.textContent("#verdict"), email).toBe(verdict);
    }
    expect(posted.some((body) => body.includes("example.org"))).toBe(false);
    await page.close();
  });

  it("behavior: baked badges chosen as files (the generated SVG, the issuer's PNG) verify VALID by the credential baked in them", async () => {
    for (const [file, dir] of [["credential-000002.svg", svgDir], ["credential-000002.png", pngDir]] as const) {
      const { page, violations } = await openPage();
      await page.setInputFiles("#file", path.join(dir, file));
      expect(await verdictOf(page), file).toBe("VALID");
      const json = await readFile(path.join(dir, "credential-000002.json"), "utf8");
      expect(await page.inputValue("#credential"), file).toBe(json);
      expect(await factsOf(page), file).toMatchObject(EXPECTED_FACTS);
      const badge = await badgeOf(page);
      expect(badge.src, file).toBe(JSON.parse(json).credentialSubject.achievement.image.id);
      expect(badge.width, file).toBe(file.endsWith(".png") ? 64 : 512);
      expect(await page.isVisible("#linkedin"), file).toBe(true);
      expect(violations, file).toEqual([]);
      await page.close();
    }
  });

  it("error: files that carry no credential, a corrupt PNG, and a tampered credential are NOT VALID with the reason; no LinkedIn link", async () => {
    const bad = path.join(work, "bad-files");
    await mkdir(bad, { recursive: true });
    const baked = new Uint8Array(await readFile(path.join(pngDir, "credential-000003.png")));
    await writeFile(path.join(bad, "plain.png"), buildPng(64, 64));
    await writeFile(path.join(bad, "corrupt.png"), flipped(baked, 100));
    await writeFile(path.join(bad, "photo.gif"), Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1"));
    const cases = [
      ["plain.png", /^plain\.png: The PNG holds no baked credential/],
      ["corrupt.png", /^corrupt\.png: .*CRC/i],
      ["photo.gif", /^photo\.gif: The file is .*; a baked badge is a PNG or an SVG image\.$/],
    ] as const;
    for (const [file, message] of cases) {
      const { page } = await openPage();
      await page.setInputFiles("#file", path.join(bad, file));
      expect(await verdictOf(page), file).toBe("NOT VALID");
      expect(await page.textContent("#failure"), file).toMatch(message);
      expect(await page.isHidden("#sharing"), file).toBe(true);
      await page.close();
    }
    const tampered = JSON.parse(svgText) as Json;
    tampered.credentialSubject.achievement.name = "Brain Surgery";
    const { page } = await openPage();
    await page.fill("#credential", JSON.stringify(tampered, null, 2));
    await page.click("#verify");
    expect(await verdictOf(page)).toBe("NOT VALID");
    expect(await page.getAttribute(`#steps li[data-step="integrity"]`, "data-status")).toBe("failed");
    await page.waitForSelector("#sharing:not([hidden])");
    expect(await page.isHidden("#linkedin-item")).toBe(true);
    expect(await page.isVisible("#public-share")).toBe(true);
    // Too large for a public link (a big badge image, here a long description): said so, with the private link only.
    tampered.credentialSubject.achievement.description = "x".repeat(100_000) + Array.from({ length: 20_000 }, (_, index) => index.toString(36)).join("");
    await page.fill("#credential", JSON.stringify(tampered));
    await page.click("#verify");
    expect(await verdictOf(page)).toBe("NOT VALID");
    await page.waitForSelector("#sharing:not([hidden])");
    expect(await page.isHidden("#public-item")).toBe(true);
    expect(await page.textContent("#share-note")).toBe("This credential is too large for a public link: share the file, or the private link.");
    expect(await page.getAttribute("#share", "href")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#/);
    await page.close();
  });

  it("behavior: a public link previews the badge (Open Graph and Twitter meta from the server's own verification, the badge as PNG) and verifies in the browser", async () => {
    const { page } = await openPage();
    await page.fill("#credential", svgText);
    await page.click("#verify");
    expect(await verdictOf(page)).toBe("VALID");
    await page.waitForSelector("#sharing:not([hidden])");
    const publicUrl = (await page.getAttribute("#public-share", "href"))!;
    await page.close();

    // As a crawler sees it: no script runs, only the HTML's meta.
    const html = await (await fetch(publicUrl)).text();
    const meta = (key: string) => new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)">`).exec(html)?.[1];
    expect(meta("og:title")).toBe("Data Analysis with Python, earned by Ada Lovelace");
    expect(meta("og:description")).toMatch(/^VALID: issued by Demo University on \d{4}-\d{2}-\d{2} \(5 ECTS, EQF level 6\); verified against its blockchain registry\.$/);
    expect(meta("og:url")).toBe(publicUrl);
    expect(meta("og:image")).toBe(`${publicUrl}/badge.png`);
    expect(meta("twitter:card")).toBe("summary");
    expect(meta("twitter:image")).toBe(`${publicUrl}/badge.png`);
    // The generated SVG badge, rendered as a 600 px PNG.
    const image = await fetch(`${publicUrl}/badge.png`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await image.arrayBuffer());
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([600, 600]);
    // The issuer's PNG badge goes out as it is.
    const pngText = await readFile(path.join(pngDir, "credential-000002.json"), "utf8");
    const { page: other } = await openPage();
    await other.fill("#credential", pngText);
    await other.click("#verify");
    expect(await verdictOf(other)).toBe("VALID");
    await other.waitForSelector("#sharing:not([hidden])");
    const pngLink = (await other.getAttribute("#public-share", "href"))!;
    await other.close();
    expect(Buffer.from(await (await fetch(`${pngLink}/badge.png`)).arrayBuffer()).equals(Buffer.from(pngBadge))).toBe(true);

    // Opened in a browser, the page verifies the link's credential itself.
    const { page: opened, violations } = await openPage(publicUrl);
    expect(await verdictOf(opened)).toBe("VALID");
    expect(await opened.inputValue("#credential")).toBe(svgText);
    expect(await factsOf(opened)).toMatchObject(EXPECTED_FACTS);
    expect(violations).toEqual([]);
    if (SCREENSHOTS) await opened.screenshot({ path: path.join(SCREENSHOTS, "verify-v2-public-link.png"), fullPage: true });
    await opened.close();
  });

  it("error: a public link to a tampered credential previews NOT VALID with no image (its badge.png is a 404); markup in it stays text; a broken link is a 400 that says why", async () => {
    const tampered = JSON.parse(svgText) as Json;
    tampered.credentialSubject.achievement.name = `"><script>alert(1)</script>`;
    const { page } = await openPage();
    await page.fill("#credential", JSON.stringify(tampered));
    await page.click("#verify");
    expect(await verdictOf(page)).toBe("NOT VALID");
    await page.waitForSelector("#sharing:not([hidden])");
    const publicUrl = (await page.getAttribute("#public-share", "href"))!;
    await page.close();
    const response = await fetch(publicUrl);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<meta property="og:title" content="NOT VALID: &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">`);
    expect(html).toMatch(/<meta property="og:description" content="This credential did not verify \(integrity: The file was altered after issuance/);
    expect(html).not.toContain("og:image");
    expect(html).not.toContain("<script>alert");
    const image = await fetch(`${publicUrl}/badge.png`);
    expect(image.status).toBe(404);
    expect(((await image.json()) as Json).error.code).toBe("BadgeNotFound");

    const garbage = await fetch(`${server.url}/c/not!base64`);
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain(`content="This link does not carry a credential: The link's credential is not base64url text`);
    const notDeflate = await fetch(`${server.url}/c/${Buffer.from(svgText).toString("base64url").slice(0, 400)}`);
    expect(notDeflate.status).toBe(400);
    expect(await notDeflate.text()).toContain("does not inflate");
    const { page: opened } = await openPage(`${server.url}/c/${Buffer.from("{}").toString("base64url")}`);
    await opened.waitForSelector("#link-error");
    expect(await opened.textContent("#link-error")).toMatch(/^This link does not carry a credential: /);
    await opened.close();
  });
});

it("the credentials of this test are format 2 with an SVG and a PNG badge (what the cases above rely on)", async () => {
  const names = (await readdir(svgDir)).sort();
  expect(names.filter((name) => name.endsWith(".svg"))).toHaveLength(12);
  expect((await readdir(pngDir)).filter((name) => name.endsWith(".png"))).toHaveLength(12);
  expect(JSON.parse(svgText).proof[0].cryptosuite).toBe("eddsa-rdfc-2022");
});
