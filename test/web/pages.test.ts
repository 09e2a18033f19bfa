import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { type Browser, chromium, type Page, type Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devWallet, issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { sampleAchievement } from "../helpers/sampleCredentials.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { attachProof, proofCreatedAt } from "../../src/batch/attachProof.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";

// Debian's Chromium (apt-get install -y chromium), driven by playwright-core; with CREDREG_SCREENSHOTS=1 the test also
// refreshes the screenshots in docs/screenshots/.
const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = process.env.CREDREG_SCREENSHOTS === "1" ? path.resolve("docs/screenshots") : undefined;

/** What the verify page shows as "Issuer (on chain)" when the registry's issuer record was not read or did not check out. */
const NOT_READ = "not read from the chain";
const NOT_CONFIRMED = "not confirmed by the chain (see the issuer step)";

let node: LocalNode;
let server: RunningServer;
let browser: Browser;
let files: Credential[];
let issuer: string;
let root: string;
/** Genuine: anchored by the accredited issuer, but the file names another profile ("Evil Forger") than the chain binds. */
let forgedProfile: Credential;

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "Demo University", profileId: "https://demo-university.example/issuer" }, ["Ada Lovelace", "Alan Turing", "Grace Hopper"].map((name, index) => ({ name, email: `person${index}@example.org` })));
  ({ issuer, root, files } = issued);
  const deployment = { address: issued.registry };

  // The same accredited issuer anchors a batch whose files say they come from "Evil Forger" (another profile id).
  const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  try {
    const batch = await buildBatchFromRecipients(
      { issuer: { id: "https://evil-forger.example/issuer", name: "Evil Forger" }, achievement: sampleAchievement, registry: { chainId: 31337, address: deployment.address }, validFrom: "2026-01-01T00:00:00Z" },
      [{ name: "Mallory", email: "mallory@example.org" }],
    );
    const sent = await sendRegistryTransaction(registryContract(deployment.address, devWallet(1).connect(provider)), "anchorBatch", [batch.root, batch.leafCount]);
    forgedProfile = attachProof(batch.credential(0), batch, 0, { chainId: "eip155:31337", registry: deployment.address, issuer, transactionHash: sent.hash, blockNumber: sent.blockNumber }, proofCreatedAt(sent.blockTime));
  } finally {
    provider.destroy();
  }

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

/** The # of a share link: base64url (no padding) of the exact UTF-8 text. */
const fragmentOf = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const textOf = (credential: unknown) => JSON.stringify(credential, null, 2);

/** Pastes `text` into the verify page, verifies it, and checks that the credential's content never left the browser. */
async function verifyTextInPage(text: string, setUp?: (page: Page) => Promise<unknown>): Promise<{ page: Page; verdict: string }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1100 } });
  await setUp?.(page);
  const posted: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posted.push(request.postData() ?? "");
  });
  await page.goto(`${server.url}/`);
  await page.fill("#credential", text);
  await page.click("#verify");
  await page.waitForSelector("#verdict", { timeout: 30_000 });
  // The credential's content never leaves the browser: only JSON-RPC reads go out.
  let name: string | undefined;
  try {
    name = (JSON.parse(text) as Credential).credentialSubject?.identifier?.[0]?.identityHash;
  } catch {
    name = undefined;
  }
  if (name) expect(posted.some((body) => body.includes(name))).toBe(false);
  return { page, verdict: (await page.textContent("#verdict")) ?? "" };
}

const verifyInPage = (credential: unknown, setUp?: (page: Page) => Promise<unknown>) => verifyTextInPage(textOf(credential), setUp);

/** The holder's name as the file states it (the name identity, in clear). */
const holderOf = (credential: Credential) => credential.credentialSubject.identifier.find((identity) => identity.identityType === "name")!.identityHash;

const statusOf = (page: Page, step: string) => page.getAttribute(`#steps li[data-step="${step}"]`, "data-status");

/** The facts the page shows, term -> description. */
const factsOf = (page: Page) => page.$$eval("#facts dt", (terms) => Object.fromEntries(terms.map((term) => [term.textContent, term.nextElementSibling?.textContent])));

/** Sets the page's # (as opening another share link in the same tab does) and waits until `shown` holds in the page. */
async function changeFragment(page: Page, text: string, shown: () => boolean): Promise<void> {
  await page.evaluate((fragment) => {
    location.hash = fragment;
  }, fragmentOf(text));
  await page.waitForFunction(shown, undefined, { timeout: 30_000 });
}

describe("web pages in Chromium", () => {
  it("default: a valid credential verifies in the browser with its issuer, achievement, skills, ECTS and level", async () => {
    const text = textOf(files[0]);
    const { page, verdict } = await verifyTextInPage(text);
    expect(verdict).toBe("VALID");
    expect(await factsOf(page)).toEqual({
      Holder: holderOf(files[0]!),
      Achievement: "Data Analysis with Python",
      "Issuer (on chain)": "Demo University",
      Issued: files[0]!.validFrom.slice(0, 10),
      "ECTS credits": "5",
      Hours: "125",
      "EQF level": "6",
      Skills: "Python (computer programming), perform data analysis",
    });
    for (const step of ["format", "integrity", "inclusion", "anchor", "issuer", "status", "validity", "chain"]) expect(await statusOf(page, step)).toBe("passed");
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "verify-valid.png"), fullPage: true });
    // The share link carries the exact text that was verified (not a re-serialization) in the fragment, and verifies on its own.
    const share = await page.getAttribute("#share", "href");
    expect(share).toBe(`${server.url}/#${fragmentOf(text)}`);
    const shared = await browser.newPage();
    await shared.goto(share!);
    await shared.waitForSelector("#verdict", { timeout: 30_000 });
    expect(await shared.textContent("#verdict")).toBe("VALID");
    expect(await shared.inputValue("#credential")).toBe(text);
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
    const broken = await verifyTextInPage("not json at all");
    expect(broken.verdict).toBe("NOT VALID");
    expect(await statusOf(broken.page, "format")).toBe("failed");
    expect(await broken.page.$("#facts")).toBeNull();
  });

  it("behavior: the verifier reads the exact text: a duplicate member name fails at format, though JSON.parse would keep the genuine value", async () => {
    const genuine = JSON.stringify(files[0]);
    // JSON.parse keeps the last "id" (the genuine one); a strict reader refuses the document.
    const duplicated = `{"id":"urn:uuid:00000000-0000-4000-8000-000000000000",${genuine.slice(1)}`;
    expect(JSON.parse(duplicated)).toEqual(files[0]);
    const { page, verdict } = await verifyTextInPage(duplicated);
    expect(verdict).toBe("NOT VALID");
    expect(await statusOf(page, "format")).toBe("failed");
    expect(await page.textContent('#steps li[data-step="format"]')).toContain("$.id");
    // Nothing of a document that failed at format is shown as a fact.
    expect(await page.$("#facts")).toBeNull();
    expect(await page.getAttribute("#share", "href")).toBe(`${server.url}/#${fragmentOf(duplicated)}`);
  });

  it("behavior: Issuer (on chain) is the registry's name, never the file's issuer.name", async () => {
    // Genuine file, but its issuer.name and issuer.id are not what the chain binds the anchoring address to.
    const genuineElsewhere = await verifyInPage(forgedProfile);
    expect(genuineElsewhere.verdict).toBe("NOT VALID");
    expect([await statusOf(genuineElsewhere.page, "integrity"), await statusOf(genuineElsewhere.page, "anchor"), await statusOf(genuineElsewhere.page, "issuer")]).toEqual(["passed", "passed", "failed"]);
    expect((await factsOf(genuineElsewhere.page))["Issuer (on chain)"]).toBe(NOT_CONFIRMED);
    expect(await genuineElsewhere.page.textContent("#facts")).not.toContain("Evil Forger");

    // A valid credential with its issuer.name changed: integrity fails, the chain's issuer record is not consulted.
    const renamed = await verifyInPage({ ...files[0], issuer: { ...files[0]!.issuer, name: "Evil Forger" } });
    expect(renamed.verdict).toBe("NOT VALID");
    expect([await statusOf(renamed.page, "integrity"), await statusOf(renamed.page, "issuer")]).toEqual(["failed", "skipped"]);
    expect((await factsOf(renamed.page))["Issuer (on chain)"]).toBe(NOT_READ);
    expect(await renamed.page.textContent("#facts")).not.toContain("Evil Forger");

    // A registry this page does not trust: the chain is not asked about the issuer.
    const other = "0x000000000000000000000000000000000000dEaD";
    const untrusted = await verifyInPage({
      ...files[0],
      issuer: { ...files[0]!.issuer, name: "Evil Forger" },
      credentialStatus: files[0]!.credentialStatus.map((entry) => ({ ...entry, registry: `eip155:31337:${other}` })),
      proof: { ...files[0]!.proof, anchor: { ...files[0]!.proof.anchor, registry: other } },
    });
    expect(await statusOf(untrusted.page, "format")).toBe("passed");
    expect(untrusted.verdict).toBe("NOT VALID");
    expect(await statusOf(untrusted.page, "issuer")).toBe("skipped");
    expect((await factsOf(untrusted.page))["Issuer (on chain)"]).toBe(NOT_READ);
    expect(await untrusted.page.textContent("#facts")).not.toContain("Evil Forger");

    // The chain cannot be reached: even a genuine file's issuer.name is not shown as the chain's.
    const unreachable = await verifyInPage(files[0], (page) => page.route("**/rpc", (route) => route.abort()));
    expect(unreachable.verdict).toBe("COULD NOT VERIFY");
    expect(await statusOf(unreachable.page, "issuer")).toBe("skipped");
    expect(await factsOf(unreachable.page)).toEqual({
      Holder: holderOf(files[0]!),
      Achievement: "Data Analysis with Python",
      "Issuer (on chain)": NOT_READ,
      Issued: files[0]!.validFrom.slice(0, 10),
      "ECTS credits": "5",
      Hours: "125",
      "EQF level": "6",
      Skills: "Python (computer programming), perform data analysis",
    });
  });

  it("behavior: every text of the credential is shown as text, never parsed as HTML", async () => {
    const markup = '<img src="x" onerror="window.injected = true">';
    const credential = {
      ...files[0]!,
      credentialSubject: {
        ...files[0]!.credentialSubject,
        identifier: files[0]!.credentialSubject.identifier.map((identity) => (identity.identityType === "name" ? { ...identity, identityHash: `<b>${markup}</b>` } : identity)),
        achievement: { ...files[0]!.credentialSubject.achievement, name: markup, alignment: [{ ...files[0]!.credentialSubject.achievement.alignment![0]!, targetName: markup }] },
      },
    };
    const { page, verdict } = await verifyInPage(credential);
    expect(verdict).toBe("NOT VALID");
    expect(await factsOf(page)).toMatchObject({ Holder: `<b>${markup}</b>`, Achievement: markup, Skills: markup });
    expect(await page.$$eval("#result img, #result b", (nodes) => nodes.length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
  });

  it("behavior: opening another share link in the same tab (only the # changes) verifies the new credential", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/#${fragmentOf(textOf(files[0]))}`);
    await page.waitForSelector("#verdict", { timeout: 30_000 });
    expect(await page.textContent("#verdict")).toBe("VALID");

    const tampered = textOf({ ...files[0], validUntil: "2099-12-31T23:59:59Z" });
    await changeFragment(page, tampered, () => document.querySelector('#steps li[data-step="integrity"]')?.getAttribute("data-status") === "failed");
    expect(await page.textContent("#verdict")).toBe("NOT VALID");
    expect(await page.inputValue("#credential")).toBe(tampered);
    expect(await page.getAttribute("#share", "href")).toBe(`${server.url}/#${fragmentOf(tampered)}`);

    const revoked = textOf(files[1]);
    await changeFragment(page, revoked, () => document.querySelector('#steps li[data-step="status"]')?.getAttribute("data-status") === "failed");
    expect(await page.textContent("#verdict")).toBe("NOT VALID");
    expect(await statusOf(page, "integrity")).toBe("passed");
    expect(await page.inputValue("#credential")).toBe(revoked);

    // A # that carries no credential clears the previous verdict instead of leaving it on screen.
    await page.evaluate(() => (location.hash = "not*base64"));
    await page.waitForSelector("#link-error", { timeout: 30_000 });
    expect(await page.textContent("#result")).toBe("This link does not carry a credential: its # is not base64url-encoded UTF-8 text.");
    expect(await page.inputValue("#credential")).toBe("");
    expect(await page.isHidden("#share")).toBe(true);
  });

  it("behavior: a verification that ends after a newer one started never replaces the newer result", async () => {
    const page = await browser.newPage();
    // Instrumentation (test only): one task after each fetch of the page settles, count it. Every reaction to the
    // settled fetch that is a microtask (the verifier's failure path up to the page's rendering) has run by then.
    await page.addInitScript(() => {
      const scope = window as unknown as { settledFetches: number };
      scope.settledFetches = 0;
      const original = window.fetch.bind(window);
      window.fetch = (...args: Parameters<typeof fetch>) => {
        const pending = original(...args);
        const counted = () => void setTimeout(() => (scope.settledFetches += 1), 0);
        pending.then(counted, counted);
        return pending;
      };
    });
    let holding = true;
    const held: Route[] = [];
    let arrived: () => void = () => undefined;
    const nextHeld = () => new Promise<void>((resolve) => (arrived = resolve));
    await page.route("**/rpc", async (route) => {
      if (!holding) return route.continue();
      held.push(route);
      arrived();
    });
    const settled = () => page.evaluate(() => (window as unknown as { settledFetches: number }).settledFetches);
    const failHeldAndSettle = async () => {
      const before = await settled();
      await held.shift()!.abort();
      await page.waitForFunction((count) => (window as unknown as { settledFetches: number }).settledFetches > count, before);
    };

    // Control: a current verification whose chain call fails has rendered its verdict once the fetch has settled.
    let first = nextHeld();
    await page.goto(`${server.url}/#${fragmentOf(textOf(files[2]))}`);
    await first;
    await failHeldAndSettle();
    expect(await page.textContent("#verdict")).toBe("COULD NOT VERIFY");

    // The older verification (of files[0]) waits on the chain while a newer one (the revoked files[1]) completes.
    first = nextHeld();
    await page.evaluate((fragment) => (location.hash = fragment), fragmentOf(textOf(files[0])));
    await first;
    holding = false;
    const newer = textOf(files[1]);
    await changeFragment(page, newer, () => document.querySelector('#steps li[data-step="status"]')?.getAttribute("data-status") === "failed");
    // Now the older one ends (its chain call fails: "COULD NOT VERIFY"), after the newer one: it must show nothing.
    await failHeldAndSettle();
    expect(await page.textContent("#verdict")).toBe("NOT VALID");
    expect(await statusOf(page, "status")).toBe("failed");
    expect(await page.inputValue("#credential")).toBe(newer);
    expect(await page.getAttribute("#share", "href")).toBe(`${server.url}/#${fragmentOf(newer)}`);
  });

  it("behavior: the audit page shows the issuer's timeline, filters it by event and by batch root, and offers the CSV", async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 700 } });
    const rows = () => page.$$eval("#timeline tbody tr", (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const show = async () => {
      const answered = page.waitForResponse((response) => new URL(response.url()).pathname.startsWith("/v1/audit/"));
      await page.click("#audit-form button");
      const response = await answered;
      await page.waitForFunction(() => /^\d+ of \d+ events$/.test(document.getElementById("audit-status")?.textContent ?? ""));
      return new URL(response.url()).pathname;
    };
    await page.goto(`${server.url}/audit`);
    await page.fill("#issuer", issuer);
    expect(await show()).toBe(`/v1/audit/issuers/${issuer}`);
    // The issuer's timeline: its accreditation (no root), two batches, one revocation.
    const all = await rows();
    expect(all.map((cells) => [cells[2], cells[3]])).toEqual([
      ["IssuerAccredited", ""],
      ["BatchAnchored", root],
      ["CredentialRevoked", root],
      ["BatchAnchored", forgedProfile.proof.merkleRoot],
    ]);
    expect(await page.textContent("#audit-status")).toBe("4 of 4 events");
    await page.selectOption("#event-filter", "CredentialRevoked");
    expect((await rows()).map((cells) => cells[2])).toEqual(["CredentialRevoked"]);
    expect(await page.textContent("#timeline tbody")).toContain("Misconduct");
    expect(await page.textContent("#audit-status")).toBe("1 of 4 events");
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, "audit.png"), fullPage: true });
    const csv = await page.getAttribute("#csv", "href");
    const download = await fetch(new URL(csv!, server.url));
    expect((await download.text()).split("\r\n")[0]).toMatch(/^time,blockNumber,transactionHash/);

    // The root filter: only that batch's events, exactly the rows of the issuer's timeline that carry that root.
    await page.fill("#root", root);
    expect(await show()).toBe(`/v1/audit/batches/${issuer}/${root}`);
    expect(await rows()).toEqual(all.filter((cells) => cells[3] === root));
    expect((await rows()).map((cells) => cells[2])).toEqual(["BatchAnchored", "CredentialRevoked"]);
    expect(await page.textContent("#audit-status")).toBe("2 of 2 events");
  });

  it("error: /rpc forwards read-only calls only", async () => {
    const refused = await fetch(`${server.url}/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: ["0x00"] }) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("MethodNotAllowed");
    const chainId = await fetch(`${server.url}/rpc`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
    expect(((await chainId.json()) as { result: string }).result).toBe("0x7a69");
  });
});
