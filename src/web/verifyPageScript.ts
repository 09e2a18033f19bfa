// The verify page, in the browser: the credential is checked here, against the chain, and never sent to the server
// (only the read-only JSON-RPC calls of the verification go out, through the page's /rpc).
// First: zod without eval (the page's Content-Security-Policy allows none), set before any schema is built.
import "./zodJitless.ts";
import type { VerificationResult, VerificationStep } from "../verifier/verificationTypes.ts";
import { verifyCredential } from "../verifier/verifyCredentials.ts";

type PageConfig = { rpcUrl: string; registry: string };
/** The page's settings, from its JSON data block (no inline script: the Content-Security-Policy allows none). */
const config = JSON.parse(document.getElementById("credreg-config")?.textContent ?? "null") as PageConfig;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = byId<HTMLTextAreaElement>("credential");
const button = byId<HTMLButtonElement>("verify");
const result = byId<HTMLElement>("result");
const shareLink = byId<HTMLAnchorElement>("share");
const MARK = { passed: "✔", failed: "✘", skipped: "–" } as const;

/** What "Issuer (on chain)" says when the chain's issuer record was not read, or did not check out. */
const ISSUER_NOT_READ = "not read from the chain";
const ISSUER_NOT_CONFIRMED = "not confirmed by the chain (see the issuer step)";

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

/** The registry's name for the issuer: only what the chain said, and only when the issuer step passed. */
function onChainIssuer(issuer: VerificationStep | undefined): string {
  if (issuer?.status === "passed" && typeof issuer.details.name === "string") return issuer.details.name;
  return issuer?.status === "failed" ? ISSUER_NOT_CONFIRMED : ISSUER_NOT_READ;
}

/** The achievement, for display only (the verdict never depends on it), read once the format step passed. */
function achievementOf(text: string): Record<string, unknown> | undefined {
  try {
    const value = (JSON.parse(text) as { credentialSubject?: { achievement?: unknown } } | null)?.credentialSubject?.achievement;
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function render(verification: VerificationResult, text: string): void {
  result.replaceChildren();
  const verdict = { valid: "VALID", invalid: "NOT VALID", error: "COULD NOT VERIFY" }[verification.status];
  result.append(element("p", verdict, { id: "verdict", class: `verdict ${verification.status}` }));
  const stepNamed = (name: string) => verification.steps.find((step) => step.name === name);
  const achievement = stepNamed("format")?.status === "passed" ? achievementOf(text) : undefined;
  if (achievement) {
    const facts = element("dl", undefined, { id: "facts" });
    const add = (term: string, value: unknown) => {
      if (value === undefined || value === null || value === "") return;
      facts.append(element("dt", term), element("dd", String(value)));
    };
    const workload = achievement.workload as { ectsCredits?: unknown; hours?: unknown } | undefined;
    add("Holder", verification.summary.holder);
    add("Achievement", achievement.name);
    add("Issuer (on chain)", onChainIssuer(stepNamed("issuer")));
    add("ECTS credits", workload?.ectsCredits);
    add("Hours", workload?.hours);
    add("EQF level", achievement.eqfLevel);
    add("Skills", (achievement.alignment as { targetName: string }[] | undefined)?.map((skill) => skill.targetName).join(", "));
    result.append(facts);
  }
  const steps = element("ol", undefined, { id: "steps" });
  for (const step of verification.steps) {
    const item = element("li", undefined, { "data-step": step.name, "data-status": step.status, class: step.status });
    item.append(element("span", `${MARK[step.status]} ${step.name}`, { class: "name" }), element("span", step.message, { class: "message" }));
    steps.append(item);
  }
  result.append(steps);
}

/** Bumped by every new input: a verification that finishes after a newer one started shows nothing. */
let latest = 0;

/** Starts over for new input: what an older verification would still show is dropped. Returns this run's number. */
function begin(message: HTMLElement): number {
  latest += 1;
  shareLink.hidden = true;
  shareLink.removeAttribute("href");
  result.replaceChildren(message);
  return latest;
}

/** Verifies `text`, exactly as given (the verifier parses it, strictly), and links to it. */
async function verifyText(text: string): Promise<void> {
  const run = begin(element("p", "Verifying against the chain…", { id: "progress" }));
  let verification: VerificationResult;
  try {
    verification = await verifyCredential(text, { rpcUrl: new URL(config.rpcUrl, location.href).toString(), trustedRegistries: [config.registry] });
  } catch (error) {
    if (run !== latest) return;
    result.replaceChildren(element("p", "COULD NOT VERIFY", { id: "verdict", class: "verdict error" }), element("p", (error as Error).message, { id: "failure" }));
    return;
  }
  if (run !== latest) return;
  render(verification, text);
  // Text with lone surrogates has no UTF-8 form: a link to it would carry another text.
  if (text.isWellFormed()) {
    shareLink.href = `${location.origin}${location.pathname}#${encode(text)}`;
    shareLink.hidden = false;
  }
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

button.addEventListener("click", () => void verifyText(input.value));
document.addEventListener("dragover", (event) => event.preventDefault());
document.addEventListener("drop", (event) => {
  event.preventDefault();
  const file = event.dataTransfer?.files[0];
  if (file) void file.text().then((text) => {
    input.value = text;
    return verifyText(text);
  });
});
window.addEventListener("hashchange", verifyFragment);
verifyFragment();
