// The verify page, in the browser: the credential is checked here, against the chain, and never sent to the server
// (only the read-only JSON-RPC calls of the verification go out, through the page's /rpc).
import type { VerificationResult } from "../verifier/verificationTypes.ts";
import { verifyCredential } from "../verifier/verifyCredentials.ts";

type PageConfig = { rpcUrl: string; registry: string };
const config = (globalThis as unknown as { CREDREG: PageConfig }).CREDREG;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = byId<HTMLTextAreaElement>("credential");
const button = byId<HTMLButtonElement>("verify");
const result = byId<HTMLElement>("result");
const shareLink = byId<HTMLAnchorElement>("share");
const MARK = { passed: "✔", failed: "✘", skipped: "–" } as const;

const encode = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const decode = (fragment: string) => new TextDecoder().decode(Uint8Array.from(atob(fragment.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0)));

function element(tag: string, text?: string, attributes: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function render(verification: VerificationResult, credential: unknown): void {
  result.replaceChildren();
  const verdict = { valid: "VALID", invalid: "NOT VALID", error: "COULD NOT VERIFY" }[verification.status];
  result.append(element("p", verdict, { id: "verdict", class: `verdict ${verification.status}` }));
  const achievement = (credential as { credentialSubject?: { achievement?: Record<string, any> } })?.credentialSubject?.achievement;
  if (achievement) {
    const facts = element("dl", undefined, { id: "facts" });
    const add = (term: string, value: unknown) => {
      if (value === undefined || value === null || value === "") return;
      facts.append(element("dt", term), element("dd", String(value)));
    };
    add("Holder", verification.summary.holder);
    add("Achievement", achievement.name);
    add("Issuer (on chain)", verification.summary.issuerName);
    add("ECTS credits", achievement.workload?.ectsCredits);
    add("Hours", achievement.workload?.hours);
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

async function verifyText(text: string): Promise<void> {
  result.replaceChildren(element("p", "Verifying against the chain…", { id: "progress" }));
  let credential: unknown;
  try {
    credential = JSON.parse(text);
  } catch (error) {
    result.replaceChildren(element("p", "NOT VALID", { id: "verdict", class: "verdict invalid" }), element("p", `This is not JSON: ${(error as Error).message}`, { id: "parse-error" }));
    return;
  }
  const verification = await verifyCredential(credential, { rpcUrl: new URL(config.rpcUrl, location.href).toString(), trustedRegistries: [config.registry] });
  render(verification, credential);
  shareLink.href = `${location.origin}${location.pathname}#${encode(JSON.stringify(credential))}`;
  shareLink.hidden = false;
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
if (location.hash.length > 1) {
  const text = decode(location.hash.slice(1));
  input.value = text;
  void verifyText(text);
}
