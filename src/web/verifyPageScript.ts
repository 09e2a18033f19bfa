// The verify page, in the browser: the credential is checked here, against the chain, and never sent to the server
// (only the read-only JSON-RPC calls of the verification go out, through the page's /rpc).
// First: zod without eval (the page's Content-Security-Policy allows none), set before any schema is built.
import "./zodJitless.ts";
import { unbakeBadge } from "../credential/v2/badge/unbakeBadge.ts";
import type { VerificationResult } from "../verifier/verificationTypes.ts";
import { verifyCredential } from "../verifier/verifyCredentials.ts";
import { COMPONENT_VERDICT, type DisplayFacts, type DisplayStack, displayFactsOf } from "./displayFactsOf.ts";
import { linkedInAddToProfileUrl } from "./linkedInAddToProfileUrl.ts";
import { decodeSharePayload, encodeSharePayload } from "./sharePayload.ts";

type PageConfig = { rpcUrl: string; registry: string };
/** The page's settings, from its JSON data block (no inline script: the Content-Security-Policy allows none). */
const config = JSON.parse(document.getElementById("credreg-config")?.textContent ?? "null") as PageConfig;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = byId<HTMLTextAreaElement>("credential");
const button = byId<HTMLButtonElement>("verify");
const fileInput = byId<HTMLInputElement>("file");
const recipientInput = byId<HTMLInputElement>("recipient");
const result = byId<HTMLElement>("result");
const sharing = byId<HTMLElement>("sharing");
const shareLink = byId<HTMLAnchorElement>("share");
const publicItem = byId<HTMLElement>("public-item");
const publicLink = byId<HTMLAnchorElement>("public-share");
const linkedInItem = byId<HTMLElement>("linkedin-item");
const linkedInLink = byId<HTMLAnchorElement>("linkedin");
const shareNote = byId<HTMLElement>("share-note");
const MARK = { passed: "✔", failed: "✘", skipped: "–" } as const;
/** The path of a public share link: /c/<payload>. */
const PUBLIC_PATH = /^\/c\/([^/]+)$/;

/** base64url (no padding) of the UTF-8 bytes of `text`: the share link carries the exact text that was verified. */
function encode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The text a share link carries; throws when the fragment is not base64url of UTF-8. */
const decode = (fragment: string) =>
  new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(fragment.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0)));

function element(tag: string, text?: string, attributes: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  // Every text of the credential goes in as text, never as HTML.
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** The facts shown beside the verdict: the badge image, then holder, achievement, issuer, date, credits, level, skills. */
function renderFacts(facts: DisplayFacts): void {
  // Only a data: URL of a PNG or SVG (displayFactsOf checks it); an <img> runs no script, and the policy loads nothing else.
  if (facts.image !== undefined) result.append(element("img", undefined, { id: "badge", src: facts.image.dataUrl, alt: facts.image.caption ?? `Badge of ${facts.achievement ?? "the achievement"}` }));
  const list = element("dl", undefined, { id: "facts" });
  const add = (term: string, value: unknown) => {
    if (value === undefined || value === null || value === "") return;
    list.append(element("dt", term), element("dd", String(value)));
  };
  add("Holder", facts.holder);
  add("Achievement", facts.achievement);
  add("Issuer (on chain)", facts.issuer);
  add("Issued", facts.validFrom?.slice(0, 10));
  add("ECTS credits", facts.credits);
  add("Hours", facts.hours);
  add("EQF level", facts.eqfLevel);
  add("Skills", facts.skills.join(", "));
  result.append(list);
  if (facts.stack !== undefined) renderStack(facts.stack);
}

/** A stacked credential's components, under the qualification: each with its issuer, verdict and why; then the rule. */
function renderStack(stack: DisplayStack): void {
  const section = element("section", undefined, { id: "components" });
  section.append(element("h2", `Components (pathway ${stack.pathway})`));
  section.append(element("p", stack.summary, { id: "pathway" }));
  const list = element("ul", undefined, { id: "component-list" });
  for (const component of stack.components) {
    const item = element("li", undefined, { "data-component": component.id, "data-status": component.status });
    item.append(
      element("span", COMPONENT_VERDICT[component.status], { class: `component-verdict ${component.status === "unchecked" ? "skipped" : component.status}` }),
      element("span", component.name, { class: "component-name" }),
      element("span", component.issuer, { class: "component-issuer" }),
      element("span", component.message, { class: "message" }),
    );
    list.append(item);
  }
  section.append(list);
  result.append(section);
}

/** Shows the verdict, the credential's facts (once its format step passed) and every step; returns the facts shown. */
function render(verification: VerificationResult, text: string): DisplayFacts | undefined {
  result.replaceChildren();
  const verdict = { valid: "VALID", invalid: "NOT VALID", error: "COULD NOT VERIFY" }[verification.status];
  result.append(element("p", verdict, { id: "verdict", class: `verdict ${verification.status}` }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const facts = displayFactsOf(parsed, verification);
  if (facts !== undefined) renderFacts(facts);
  const steps = element("ol", undefined, { id: "steps" });
  for (const step of verification.steps) {
    const item = element("li", undefined, { "data-step": step.name, "data-status": step.status, class: step.status });
    item.append(element("span", `${MARK[step.status]} ${step.name}`, { class: "name" }), element("span", step.message, { class: "message" }));
    steps.append(item);
  }
  result.append(steps);
  return facts;
}

/** Bumped by every new input: a verification that finishes after a newer one started shows nothing. */
let latest = 0;

/** Starts over for new input: what an older verification would still show is dropped. Returns this run's number. */
function begin(message: HTMLElement): number {
  latest += 1;
  sharing.hidden = true;
  for (const link of [shareLink, publicLink, linkedInLink]) link.removeAttribute("href");
  result.replaceChildren(message);
  return latest;
}

/**
 * The share links of `text`: the private one (# of this page), the public one (/c/<payload>, which the server
 * previews) when the text fits in a link, and "Add to LinkedIn" (with the public link) for a valid credential only.
 */
async function offerLinks(run: number, text: string, verification: VerificationResult, facts: DisplayFacts | undefined): Promise<void> {
  // Text with lone surrogates has no UTF-8 form: a link to it would carry another text.
  if (!text.isWellFormed()) return;
  const payload = await encodeSharePayload(text);
  if (run !== latest) return;
  shareLink.href = `${location.origin}/#${encode(text)}`;
  const publicUrl = payload === undefined ? undefined : `${location.origin}/c/${payload}`;
  publicItem.hidden = publicUrl === undefined;
  if (publicUrl !== undefined) publicLink.href = publicUrl;
  const linkedIn = verification.status === "valid" && facts !== undefined && publicUrl !== undefined ? linkedInAddToProfileUrl(facts, publicUrl) : undefined;
  linkedInItem.hidden = linkedIn === undefined;
  if (linkedIn !== undefined) linkedInLink.href = linkedIn;
  shareNote.textContent = publicUrl === undefined ? "This credential is too large for a public link: share the file, or the private link." : "";
  sharing.hidden = false;
}

/** Verifies `text`, exactly as given (the verifier parses it, strictly), and links to it. */
async function verifyText(text: string): Promise<void> {
  const run = begin(element("p", "Verifying against the chain…", { id: "progress" }));
  let verification: VerificationResult;
  try {
    // The e-mail address, when given, is hashed here with the credential's salt: it is never sent anywhere.
    const recipient = recipientInput.value.trim() === "" ? undefined : recipientInput.value.trim();
    verification = await verifyCredential(text, { rpcUrl: new URL(config.rpcUrl, location.href).toString(), trustedRegistries: [config.registry], recipient });
  } catch (error) {
    if (run !== latest) return;
    result.replaceChildren(element("p", "COULD NOT VERIFY", { id: "verdict", class: "verdict error" }), element("p", (error as Error).message, { id: "failure" }));
    return;
  }
  if (run !== latest) return;
  const facts = render(verification, text);
  await offerLinks(run, text, verification, facts);
}

/** A file that holds no credential: NOT VALID, with the reason and what to do. */
function refuseFile(name: string, error: unknown): void {
  const { shortMessage, message, metaMessages } = error as { shortMessage?: string; message?: string; metaMessages?: string[] };
  begin(element("p", "NOT VALID", { id: "verdict", class: "verdict invalid" }));
  result.append(element("p", `${name}: ${shortMessage ?? message ?? String(error)}`, { id: "failure" }));
  for (const hint of metaMessages ?? []) result.append(element("p", hint, { class: "hint" }));
}

/** UTF-8 byte order mark and JSON whitespace: what may come before a JSON text's `{`. */
const LEADING = new Set([0xef, 0xbb, 0xbf, 0x20, 0x09, 0x0a, 0x0d]);

/**
 * Verifies a chosen or dropped file: a credential's JSON as its text; a badge image (PNG or SVG, told by its bytes)
 * by the credential baked into it.
 */
async function verifyFile(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const first = bytes.find((byte) => !LEADING.has(byte));
  let text: string;
  try {
    text = first === 0x7b ? new TextDecoder("utf-8", { fatal: true }).decode(bytes) : unbakeBadge(bytes);
  } catch (error) {
    input.value = "";
    refuseFile(file.name, error);
    return;
  }
  input.value = text;
  await verifyText(text);
}

/** Verifies what the link's # carries (a share link opened, or its # changed in this tab). */
function verifyFragment(): void {
  if (location.hash.length <= 1) return;
  let text: string;
  try {
    text = decode(location.hash.slice(1));
  } catch {
    begin(element("p", "This link does not carry a credential: its # is not base64url-encoded UTF-8 text.", { id: "link-error" }));
    input.value = "";
    return;
  }
  input.value = text;
  void verifyText(text);
}

/** Verifies what a public share link's path carries (/c/<payload>). */
async function verifyPublicLink(payload: string): Promise<void> {
  let text: string;
  try {
    text = await decodeSharePayload(payload);
  } catch (error) {
    begin(element("p", `This link does not carry a credential: ${(error as Error).message}`, { id: "link-error" }));
    return;
  }
  input.value = text;
  await verifyText(text);
}

button.addEventListener("click", () => void verifyText(input.value));
fileInput.addEventListener("change", () => {
  const file = fileInput.files?.[0];
  if (file) void verifyFile(file);
});
document.addEventListener("dragover", (event) => event.preventDefault());
document.addEventListener("drop", (event) => {
  event.preventDefault();
  const file = event.dataTransfer?.files[0];
  if (file) void verifyFile(file);
});
window.addEventListener("hashchange", verifyFragment);
const publicPayload = PUBLIC_PATH.exec(location.pathname)?.[1];
if (publicPayload !== undefined && location.hash.length <= 1) void verifyPublicLink(publicPayload);
else verifyFragment();
