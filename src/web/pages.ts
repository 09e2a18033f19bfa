/**
 * The HTML of the two pages the service serves. No external resources: everything comes from this process. The
 * pages run under a strict Content-Security-Policy (src/api/securityHeaders.ts): scripts only from this origin or
 * inline with a hash the policy lists ({@link PAGE_INLINE_SCRIPTS}), styles only inline with a listed hash
 * ({@link PAGE_INLINE_STYLES}); the verify and portfolio pages' settings travel in a JSON data block, which is never
 * executed.
 */
import { MAX_PORTFOLIO_CREDENTIALS } from "../portfolio/portfolioLimits.ts";

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}textarea{width:100%;height:12rem;font:13px monospace}button{font-size:1rem;padding:.4rem 1rem;margin:.5rem 0}
.verdict{font-size:1.6rem;font-weight:700}.valid{color:#116329}.invalid,.failed{color:#a40e26}.error{color:#9a6700}.skipped{color:#57606a}
#steps li{margin:.2rem 0}#badge{float:right;width:12rem;height:12rem;object-fit:contain;margin:0 0 1rem 1rem}#sharing{clear:both}#steps .name{display:inline-block;min-width:7rem;margin-right:.4rem;font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{font-weight:600}table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #d0d7de;padding:.2rem .4rem;text-align:left}nav a{margin-right:1rem}
#components{clear:both}#components h2{font-size:1.1rem}#component-list li{margin:.3rem 0}.component-verdict{display:inline-block;min-width:8rem;font-weight:700}.component-name{font-weight:600}
.component-issuer{color:#57606a;margin:0 .5rem}.component-issuer::before{content:"from "}#component-list .message{display:block;font-size:.9rem}
#portfolio-form label{display:block;margin:.4rem 0}#portfolio h2{font-size:1.2rem;margin-top:1.5rem}#portfolio h3{font-size:1rem;margin:.8rem 0 .2rem}
.chosen-by,.detail{color:#57606a;font-size:.9rem}.source{font-family:monospace;font-size:.85rem;margin-right:.4rem}.mark{display:inline-block;min-width:1.2rem;font-weight:700}
#invalid .mark,#other-holders .mark{color:#a40e26}#counted .mark{color:#116329}#failure{color:#a40e26;font-weight:600}`;

/** The pages' only inline style, byte for byte (the Content-Security-Policy allows it by its hash). */
export const PAGE_INLINE_STYLES: readonly string[] = [STYLE];

const escapeHtml = (text: string) => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

const layout = (title: string, body: string, head = "") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>${head}<style>${STYLE}</style></head>
<body><nav><a href="/">Verify</a><a href="/portfolio">Portfolio</a><a href="/audit">Audit</a></nav>${body}</body></html>`;

/**
 * A link preview (Open Graph and Twitter card meta) for a public share link: what the server found when it verified
 * the link's credential itself. The image, when there is one, is the badge as PNG (`/c/<payload>/badge.png`).
 */
export type PagePreview = { readonly title: string; readonly description: string; readonly url: string; readonly image?: { readonly url: string; readonly alt: string } | undefined };

function previewMeta(preview: PagePreview): string {
  const meta = (attribute: "property" | "name", key: string, value: string) => `<meta ${attribute}="${key}" content="${escapeHtml(value)}">`;
  return [
    meta("property", "og:type", "website"),
    meta("property", "og:title", preview.title),
    meta("property", "og:description", preview.description),
    meta("property", "og:url", preview.url),
    ...(preview.image === undefined ? [] : [meta("property", "og:image", preview.image.url), meta("property", "og:image:type", "image/png"), meta("property", "og:image:alt", preview.image.alt)]),
    meta("name", "twitter:card", "summary"),
    meta("name", "twitter:title", preview.title),
    meta("name", "twitter:description", preview.description),
    ...(preview.image === undefined ? [] : [meta("name", "twitter:image", preview.image.url), meta("name", "twitter:image:alt", preview.image.alt)]),
    meta("name", "description", preview.description),
  ].join("");
}

/**
 * Verify: paste, choose or drop a credential (its JSON, or the badge PNG/SVG it is baked into); the browser verifies
 * it against the chain (the file is never uploaded). A public share link (`/c/<payload>`) opens the same page with the
 * link's credential, and `preview` for the link's preview.
 */
export function verifyPageHtml(config: { rpcUrl: string; registry: string }, preview?: PagePreview): string {
  return layout(
    preview?.title ?? "Verify a micro-credential",
    `<h1>Verify a micro-credential</h1>
<p>Paste a credential file, choose it, or drop it (or its badge image, PNG or SVG) on this page. It is checked in your
browser against the registry ${escapeHtml(config.registry)}; it is never sent to this server.</p>
<textarea id="credential" placeholder="{ &quot;@context&quot;: … }" spellcheck="false"></textarea>
<div><button id="verify">Verify</button> <label>or a file <input type="file" id="file" accept=".json,.png,.svg,application/json,image/png,image/svg+xml"></label>
<label>Holder's e-mail (optional: checked in this browser against the credential's hashed address) <input type="email" id="recipient" size="28"></label></div>
<section id="result"></section>
<section id="sharing" hidden><h2>Share</h2><ul>
<li><a id="share">Private link</a>: the credential travels in the # of the link, never to a server.</li>
<li id="public-item"><a id="public-share">Public link</a>: the credential travels in the link's path, so this server (and
sites you paste it into) can show a preview of the badge.</li>
<li id="linkedin-item" hidden><a id="linkedin" target="_blank" rel="noopener noreferrer">Add to LinkedIn profile</a> (as a licence or certification, with the public link)</li>
</ul><p id="share-note"></p></section>
<script type="application/json" id="credreg-config">${JSON.stringify(config).replaceAll("<", "\\u003c")}</script>
<script type="module" src="/assets/verify.js"></script>`,
    preview === undefined ? "" : previewMeta(preview),
  );
}

/**
 * Portfolio: choose or drop a candidate's credential files (JSON, baked PNG/SVG badges, NDJSON) or ZIP archives of
 * them, with optional pathway files; the browser verifies them all against the chain (nothing is uploaded) and sums up
 * what the candidate's valid credentials prove (src/portfolio/summarisePortfolio.ts).
 */
export function portfolioPageHtml(config: { rpcUrl: string; registry: string }, maxCredentials = MAX_PORTFOLIO_CREDENTIALS): string {
  return layout(
    "Check a candidate's credentials",
    `<h1>Check a candidate's credentials</h1>
<p>Choose or drop a candidate's credential files (their JSON, or the badge images, PNG or SVG, they are baked into) or a
ZIP archive of them: at most ${maxCredentials.toLocaleString("en-US")} credentials. They are checked in your browser against the registry
${escapeHtml(config.registry)} and summed up (skills, credits, EQF level, qualifications, pathways); they are never sent to this server.</p>
<form id="portfolio-form">
<label>Credential files or a ZIP archive <input type="file" id="files" multiple accept=".json,.ndjson,.jsonl,.png,.svg,.zip,application/json,application/zip,image/png,image/svg+xml"></label>
<label>Candidate's name (optional; else the holder of the most valid credentials) <input id="holder-name" size="30"></label>
<label>Candidate's e-mail (optional; checked in this browser against each credential's hashed address) <input type="email" id="holder-email" size="30"></label>
<label>Pathways (optional; pathway files, to show progress towards qualifications) <input type="file" id="pathways" multiple accept=".json,application/json"></label>
<button id="check">Check the portfolio</button></form>
<p id="progress" role="status"></p>
<section id="portfolio" hidden></section>
<script type="application/json" id="credreg-config">${JSON.stringify(config).replaceAll("<", "\\u003c")}</script>
<script type="module" src="/assets/portfolio.js"></script>`,
  );
}

/** The audit page's script (inline; the Content-Security-Policy allows it by its hash). */
const AUDIT_SCRIPT = `
const form = document.getElementById("audit-form"), body = document.querySelector("#timeline tbody"), table = document.getElementById("timeline");
const eventFilter = document.getElementById("event-filter"), textFilter = document.getElementById("text-filter"), csv = document.getElementById("csv"), status = document.getElementById("audit-status");
let entries = [];
const show = () => {
  const kind = eventFilter.value, text = textFilter.value.trim().toLowerCase();
  body.replaceChildren();
  for (const entry of entries) {
    const cells = [entry.time, entry.blockNumber, entry.event, entry.root ?? "", entry.leafIndex ?? "", entry.reasonName ?? "", entry.actor ?? "", entry.transactionHash];
    if (kind && entry.event !== kind) continue;
    if (text && !cells.join(" ").toLowerCase().includes(text)) continue;
    const row = document.createElement("tr");
    for (const cell of cells) { const td = document.createElement("td"); td.textContent = String(cell); row.append(td); }
    body.append(row);
  }
  status.textContent = body.children.length + " of " + entries.length + " events";
};
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const issuer = document.getElementById("issuer").value.trim(), root = document.getElementById("root").value.trim();
  const url = root ? "/v1/audit/batches/" + issuer + "/" + root : "/v1/audit/issuers/" + issuer;
  status.textContent = "Reading the chain…";
  // Every page of the timeline (the API answers 1,000 events a page, with the cursor of the next).
  const all = [];
  let cursor = null;
  do {
    const response = await fetch(url + "?limit=10000" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : ""), { headers: { accept: "application/json" } });
    const data = await response.json();
    if (!response.ok) { status.textContent = data.error.message; table.hidden = true; return; }
    all.push(...data.entries);
    cursor = data.nextCursor;
    status.textContent = "Reading the chain… " + all.length + " events";
  } while (cursor);
  entries = all;
  eventFilter.replaceChildren(new Option("all", ""), ...[...new Set(entries.map((entry) => entry.event))].map((name) => new Option(name, name)));
  csv.href = url + "?format=csv"; csv.download = "audit.csv"; csv.hidden = false; table.hidden = false;
  show();
});
eventFilter.addEventListener("change", show); textFilter.addEventListener("input", show);
`;

/** The pages' only inline scripts, byte for byte (the Content-Security-Policy allows them by their hashes). */
export const PAGE_INLINE_SCRIPTS: readonly string[] = [AUDIT_SCRIPT];

/** Audit: an issuer's or a batch's timeline from chain events, with filters and a CSV download. */
export function auditPageHtml(): string {
  return layout(
    "Audit an issuer",
    `<h1>Audit an issuer or a batch</h1>
<form id="audit-form"><label>Issuer address <input id="issuer" size="44" required pattern="0x[0-9a-fA-F]{40}"></label>
<label>Batch root (optional) <input id="root" size="68" pattern="0x[0-9a-fA-F]{64}"></label> <button>Show the timeline</button></form>
<p><label>Event <select id="event-filter"><option value="">all</option></select></label>
<label>Search <input id="text-filter" placeholder="index, reason, transaction…"></label> <a id="csv" hidden>Download CSV</a></p>
<p id="audit-status"></p>
<table id="timeline" hidden><thead><tr><th>time</th><th>block</th><th>event</th><th>root</th><th>index</th><th>reason</th><th>actor</th><th>transaction</th></tr></thead><tbody></tbody></table>
<script type="module">${AUDIT_SCRIPT}</script>`,
  );
}
