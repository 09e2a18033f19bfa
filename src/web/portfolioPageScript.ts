// The portfolio page, in the browser: a candidate's credentials (files, baked badges, ZIP archives of them) are
// verified here against the chain, on a worker per core (src/web/verifyInWorkers.ts), and summed up; nothing is sent to the server but the verification's read-only
// JSON-RPC calls, through the page's /rpc.
// First: zod without eval (the page's Content-Security-Policy allows none), set before any schema is built.
import "./zodJitless.ts";
import { strictJsonValue } from "../credential/strictJsonValue.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { EMAIL_ADDRESS, MAX_PORTFOLIO_CREDENTIALS, MAX_PORTFOLIO_PATHWAYS } from "../portfolio/portfolioLimits.ts";
import { DEFAULT_ZIP_LIMITS, readZipArchive } from "../portfolio/readZipArchive.ts";
import type { PathwayProgress, Portfolio } from "../portfolio/summarisePortfolio.ts";
import { portfolioOf } from "../portfolio/verifyPortfolioCredentials.ts";
import { distinctPathways } from "../stacking/distinctPathways.ts";
import { PATHWAY_FIX, type Pathway, pathwayFromValue } from "../stacking/pathwayFromValue.ts";
import { isNdjsonFileName } from "../verifier/isCredentialFileName.ts";
import { ndjsonLines } from "../verifier/ndjsonLines.ts";
import { verifyInWorkers } from "./verifyInWorkers.ts";

type PageConfig = { rpcUrl: string; registry: string };
/** The page's settings, from its JSON data block (no inline script: the Content-Security-Policy allows none). */
const config = JSON.parse(document.getElementById("credreg-config")?.textContent ?? "null") as PageConfig;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = byId<HTMLFormElement>("portfolio-form");
const filesInput = byId<HTMLInputElement>("files");
const pathwaysInput = byId<HTMLInputElement>("pathways");
const nameInput = byId<HTMLInputElement>("holder-name");
const emailInput = byId<HTMLInputElement>("holder-email");
const progress = byId<HTMLElement>("progress");
const output = byId<HTMLElement>("portfolio");

/** Credentials verified together, by one worker: the chain is asked in bulk for each group. */
const CHUNK = 100;
/** Workers: one per core (as the CLI's threads), at most 4. */
const WORKERS = Math.min(4, Math.max(1, navigator.hardwareConcurrency || 2));
/** A ZIP archive here: the page's own limits (one candidate's credentials) within the reader's defaults. */
const ZIP_LIMITS = { ...DEFAULT_ZIP_LIMITS, maxArchiveBytes: 128 * 1024 * 1024, maxFiles: MAX_PORTFOLIO_CREDENTIALS, maxTotalBytes: 256 * 1024 * 1024 };
const ZIP_MAGIC = [0x50, 0x4b];

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

function element(tag: string, text?: string, attributes: Record<string, string> = {}): HTMLElement {
  const node = document.createElement(tag);
  // Every text from a credential or a file name goes in as text, never as HTML.
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** A list item: a mark, the source file, then the text (and an optional detail line). */
function item(mark: string, source: string | undefined, text: string, attributes: Record<string, string> = {}, detail?: string): HTMLElement {
  const entry = element("li", undefined, attributes);
  if (mark !== "") entry.append(element("span", mark, { class: "mark" }));
  if (source !== undefined) entry.append(element("span", source, { class: "source" }));
  entry.append(element("span", text, { class: "text" }));
  if (detail !== undefined && detail !== "") entry.append(element("div", detail, { class: "detail" }));
  return entry;
}

/** A heading and a list, appended to `parent`; nothing when there is nothing to list and `empty` is not given. */
function list(parent: HTMLElement, id: string, title: string, entries: readonly HTMLElement[], empty?: string): void {
  if (entries.length === 0 && empty === undefined) return;
  const section = element("section", undefined, { id });
  section.append(element("h3", title));
  if (entries.length === 0) section.append(element("p", empty, { class: "detail" }));
  else {
    const items = element("ul");
    items.append(...entries);
    section.append(items);
  }
  parent.append(section);
}

const claims = (credits: number | null, eqfLevel: number | null) => [credits === null ? undefined : `${credits} ECTS`, eqfLevel === null ? undefined : `EQF ${eqfLevel}`].filter(Boolean).join(", ");

/** A refusal (a file or archive that cannot be read, a pathway that is not valid): what is wrong, then what to do. */
function showFailure(error: unknown): void {
  const { shortMessage, message, metaMessages } = error as { shortMessage?: string; message?: string; metaMessages?: string[] };
  progress.textContent = "";
  output.replaceChildren(element("p", shortMessage ?? message ?? String(error), { id: "failure" }));
  for (const hint of metaMessages ?? []) output.append(element("p", hint, { class: "hint" }));
  output.hidden = false;
}

/** The credentials of the chosen files: each file, each line of an NDJSON file, each credential file of a ZIP archive. */
async function readCredentialFiles(files: readonly File[]): Promise<{ source: string; input: Uint8Array | string }[]> {
  const inputs: { source: string; input: Uint8Array | string }[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const isZip = /\.zip$/i.test(file.name) || (bytes[0] === ZIP_MAGIC[0] && bytes[1] === ZIP_MAGIC[1]);
    const entries = isZip ? readZipArchive(bytes, file.name, ZIP_LIMITS).files.map((entry) => ({ name: `${file.name}:${entry.name}`, bytes: entry.bytes })) : [{ name: file.name, bytes }];
    for (const entry of entries) {
      if (isNdjsonFileName(entry.name)) inputs.push(...ndjsonLines(entry.name, entry.bytes).map((line) => ({ source: line.source, input: line.content })));
      else inputs.push({ source: entry.name, input: entry.bytes });
    }
    if (inputs.length > MAX_PORTFOLIO_CREDENTIALS) {
      throw new InvalidInputError(`A portfolio holds at most ${MAX_PORTFOLIO_CREDENTIALS.toLocaleString("en-US")} credentials; these files hold more.`, ["Check the candidate's credentials in smaller groups, or with credreg verify --portfolio."]);
    }
  }
  if (inputs.length === 0) throw new InvalidInputError("These files hold no credential.", ["Choose credential files (.json, or baked .png/.svg badges), or a ZIP archive of them."]);
  return inputs;
}

/** The chosen pathway files, each read strictly and validated; two for one pathway is a mistake. */
async function readPathwayFiles(files: readonly File[]): Promise<Pathway[]> {
  if (files.length > MAX_PORTFOLIO_PATHWAYS) throw new InvalidInputError(`At most ${MAX_PORTFOLIO_PATHWAYS} pathway files are read; ${files.length} were chosen.`, [PATHWAY_FIX]);
  const read: { name: string; pathway: Pathway }[] = [];
  for (const file of files) {
    const what = `The pathway file ${file.name}`;
    read.push({ name: file.name, pathway: pathwayFromValue(strictJsonValue(new Uint8Array(await file.arrayBuffer()), what, PATHWAY_FIX), what) });
  }
  return distinctPathways(read);
}

function pathwayItem(entry: PathwayProgress, text: string): HTMLElement {
  return item("", undefined, `${entry.name}: ${text}`, { "data-pathway": entry.id }, entry.id);
}

const heldText = (entry: PathwayProgress) => (entry.held.length === 0 ? "nothing held yet" : `held ${entry.held.map((component) => component.name).join(", ")} (${entry.credits} ECTS)`);

/**
 * The portfolio: who, the sums, skills, achievements, qualifications, pathways, then what was set apart and why; and
 * a link to download it. Returns the link's object URL (released when the next check starts).
 */
function renderPortfolio(portfolio: Portfolio): string {
  const { holder, counts } = portfolio;
  const who = holder.name ?? "(no holder)";
  const chosenBy = { "holder-name": "as named above", "largest-group": "the holder of the most valid credentials", none: "no valid credential names a holder" }[holder.chosenBy];
  const heading = element("h2", `Portfolio of ${who}`, { id: "holder" });
  heading.append(" ", element("span", `(${chosenBy}${holder.emailChecked ? "; e-mail address checked" : ""})`, { class: "chosen-by" }));
  const summary = element("dl", undefined, { id: "summary" });
  const fact = (term: string, value: string, key: string) => summary.append(element("dt", term), element("dd", value, { "data-fact": key }));
  fact("Credentials counted", `${counts.counted} of ${counts.total}`, "counted");
  fact("Total credits", `${portfolio.totalCredits} ECTS`, "credits");
  fact("Highest EQF level", portfolio.highestEqfLevel === null ? "none stated" : String(portfolio.highestEqfLevel), "eqf");
  fact("Qualifications completed", String(portfolio.qualifications.length), "qualifications");
  output.replaceChildren(heading, summary);

  list(
    output,
    "skills",
    `Skills (${portfolio.skills.length})`,
    portfolio.skills.map((skill) => item("", undefined, `${skill.targetName}${skill.targetFramework === null ? "" : ` [${skill.targetFramework}]`}`, { "data-skill": skill.targetUrl }, `${skill.targetUrl} (${plural(skill.credentials.length, "credential")})`)),
    "No skill is stated.",
  );
  list(
    output,
    "achievements",
    `Achievements (${portfolio.achievements.length})`,
    portfolio.achievements.map((achievement) => {
      const stated = claims(achievement.credits, achievement.eqfLevel);
      return item("", undefined, `${achievement.name}${stated === "" ? "" : ` (${stated})`}`, { "data-achievement": achievement.id }, achievement.inQualifications.length > 0 ? "a component of a qualification held" : undefined);
    }),
    "None.",
  );
  list(
    output,
    "qualifications",
    `Qualifications completed (${portfolio.qualifications.length})`,
    portfolio.qualifications.map((qualification) => {
      const stated = claims(qualification.credits, qualification.eqfLevel);
      return item("", qualification.source, `${qualification.name}${stated === "" ? "" : ` (${stated})`}`, { "data-qualification": qualification.achievement }, `pathway ${qualification.pathway}: ${qualification.components.map((component) => component.name).join(", ")}`);
    }),
    "None.",
  );
  if (portfolio.pathways !== null) {
    const { completed, readyToStack, nearlyCompleted, notStarted } = portfolio.pathways;
    const section = element("section", undefined, { id: "pathways" });
    section.append(element("h3", "Pathways"));
    list(section, "pathways-completed", `Completed (${completed.length})`, completed.map((entry) => pathwayItem(entry, `stacked as ${entry.stackedAs}`)));
    list(section, "pathways-ready", `Ready to stack (${readyToStack.length})`, readyToStack.map((entry) => pathwayItem(entry, `${heldText(entry)}; the rule holds, no stacked credential yet`)));
    list(
      section,
      "pathways-nearly",
      `Nearly completed (${nearlyCompleted.length})`,
      nearlyCompleted.map((entry) => pathwayItem(entry, [heldText(entry), ...entry.shortfalls].join("; "))),
    );
    list(section, "pathways-not-started", `Not started (${notStarted.length})`, notStarted.map((entry) => pathwayItem(entry, `none of its ${plural(entry.missing.length, "component")} held`)));
    output.append(section);
  }
  list(
    output,
    "counted",
    `Credentials counted (${portfolio.credentials.length})`,
    portfolio.credentials.map((credential) => item("✔", credential.source, `${credential.name}${credential.issuer === null ? "" : ` (${credential.issuer})`}`, { "data-credential": credential.credentialId })),
    "None.",
  );
  list(
    output,
    "other-holders",
    `Other holders' credentials (${portfolio.otherHolders.length})`,
    portfolio.otherHolders.map((other) => item("✘", other.source, other.message, { "data-credential": other.credentialId })),
  );
  list(
    output,
    "invalid",
    `Not valid, or could not be verified (${portfolio.invalid.length})`,
    portfolio.invalid.map((entry) =>
      item("✘", entry.source, `${entry.status === "error" ? "COULD NOT VERIFY" : "NOT VALID"} at ${entry.step ?? "?"}: ${entry.message}`, { "data-status": entry.status, "data-step": entry.step ?? "" }),
    ),
  );
  output.append(
    element("p", `${plural(counts.total, "credential")}: ${counts.counted} counted for ${who}, ${counts.otherHolder} of other holders, ${counts.invalid} not valid, ${counts.couldNotVerify} could not be verified.`, { id: "counts" }),
  );
  const download = element("a", "Download the summary (JSON)", { id: "download", download: "portfolio.json" }) as HTMLAnchorElement;
  download.href = URL.createObjectURL(new Blob([`${JSON.stringify(portfolio, null, 2)}\n`], { type: "application/json" }));
  const line = element("p");
  line.append(download);
  output.append(line);
  output.hidden = false;
  return download.href;
}

/** Bumped by every new check: one that finishes after a newer one started shows nothing. */
let latest = 0;
let lastDownload: string | undefined;

/** Reads the chosen files, verifies every credential against the chain (in groups, showing how far) and shows the portfolio. */
async function check(): Promise<void> {
  latest += 1;
  const run = latest;
  if (lastDownload !== undefined) URL.revokeObjectURL(lastDownload);
  output.hidden = true;
  output.replaceChildren();
  const files = [...(filesInput.files ?? [])];
  if (files.length === 0) {
    progress.textContent = "Choose credential files or a ZIP archive of them.";
    return;
  }
  progress.textContent = "Reading the files…";
  let portfolio: Portfolio;
  try {
    const email = emailInput.value.trim();
    if (email !== "" && !EMAIL_ADDRESS.test(email)) throw new InvalidInputError(`"${email}" is not an e-mail address.`, ["Give the candidate's address (name@example.org), or leave the field empty."]);
    const [inputs, pathways] = await Promise.all([readCredentialFiles(files), readPathwayFiles([...(pathwaysInput.files ?? [])])]);
    if (run !== latest) return;
    progress.textContent = `Verifying ${plural(inputs.length, "credential")} against the chain…`;
    const results = await verifyInWorkers(
      inputs.map((entry) => entry.input),
      { rpcUrl: new URL(config.rpcUrl, location.href).toString(), trustedRegistries: [config.registry] },
      {
        scriptUrl: "/assets/portfolio-worker.js",
        workers: WORKERS,
        chunkSize: CHUNK,
        onProgress: (verified, total) => {
          if (run === latest && verified < total) progress.textContent = `Verifying against the chain… ${verified.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`;
        },
      },
    );
    if (run !== latest) return;
    // The summary reads every valid credential back from the very bytes that were verified.
    portfolio = portfolioOf(
      inputs.map((entry, index) => ({ ...entry, result: results[index]! })),
      { holderName: nameInput.value.trim() || undefined, holderEmail: email || undefined, pathways: pathways.length === 0 ? undefined : pathways },
    );
  } catch (error) {
    if (run === latest) showFailure(error);
    return;
  }
  if (run !== latest) return;
  progress.textContent = "";
  lastDownload = renderPortfolio(portfolio);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void check();
});
filesInput.addEventListener("change", () => void check());
document.addEventListener("dragover", (event) => event.preventDefault());
document.addEventListener("drop", (event) => {
  event.preventDefault();
  const dropped = event.dataTransfer?.files;
  if (dropped === undefined || dropped.length === 0) return;
  filesInput.files = dropped;
  void check();
});
