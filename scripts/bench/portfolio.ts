// `credreg verify --portfolio` of a 1,000-credential portfolio (format 2, signed, four batches, some revoked, some
// of other holders) against a local `hardhat node` over HTTP: wall time of the whole command and its JSON-RPC calls,
// beside plain `credreg verify` of the same files. Run by scripts/bench/verify.ts (on its node and registry).
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, open, readdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import { startServer } from "../../src/api/startServer.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { BenchRegistry } from "./benchRegistry.ts";

const run = promisify(execFile);
const ACHIEVEMENTS = ["examples/achievement.json", "examples/stacking/statistics.json", "examples/stacking/sql.json", "examples/stacking/visualisation.json"];
const PER_BATCH = 250;
/** Per batch: the candidate's credentials, then other holders'. */
const OTHERS_PER_BATCH = 10;
const REVOKED = 10;

/** Issues the portfolio with `credreg issue` (and revokes some of it): the four credentials folders. */
async function issuePortfolio(bench: BenchRegistry, work: string): Promise<string[]> {
  const env = {
    PATH: process.env.PATH,
    CREDREG_RPC_URL: bench.node.url,
    CREDREG_PRIVATE_KEY: bench.issuer.privateKey,
    CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"),
    CREDREG_STORE: path.join(work, "portfolio-store", "issuer.sqlite"),
  };
  const csv = path.join(work, "portfolio-recipients.csv");
  const lines = ["name,email"];
  for (let index = 0; index < PER_BATCH; index += 1) lines.push(index < PER_BATCH - OTHERS_PER_BATCH ? "Ada Lovelace,ada@example.org" : `Learner ${index},learner${index}@example.org`);
  await writeFile(csv, `${lines.join("\n")}\n`);
  const dirs: string[] = [];
  for (const [index, achievement] of ACHIEVEMENTS.entries()) {
    const out = path.join(work, `portfolio-${index}`);
    await run(process.execPath, [path.resolve("src/cli/credreg.ts"), "issue", "--input", csv, "--achievement", path.resolve(achievement), "--out", out, "--json"], { env, maxBuffer: 16 * 1024 * 1024 });
    dirs.push(path.join(out, "credentials"));
  }
  // Some of the candidate's credentials revoked, so that the status events are read too.
  const revoked = (await readdir(dirs[3]!)).filter((name) => name.endsWith(".json")).sort().slice(0, REVOKED);
  await run(process.execPath, [path.resolve("src/cli/credreg.ts"), "revoke", ...revoked.map((name) => path.join(dirs[3]!, name)), "--reason", "Misconduct"], { env });
  return dirs;
}

type Verification = { total: number; valid: number; invalid: number; rpc: { requests: number; httpRequests: number } };

const CHROMIUM = "/usr/bin/chromium";

/**
 * The portfolio page (`credreg serve`'s /portfolio, in Debian's Chromium, headless) given the same files: time from
 * choosing them to the summary shown, three runs; the /rpc requests of one run. Undefined without Chromium.
 */
async function measurePortfolioPage(bench: BenchRegistry, work: string, files: readonly string[]): Promise<{ seconds: number[]; rpc: number; workers: number } | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import("playwright-core");
  const config = resolveConfig({ "rpc-url": bench.node.url, registry: bench.deployment.address, store: path.join(work, "portfolio-page.sqlite") }, {}, work);
  const server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { rpcUrl: bench.node.url, publicRateLimit: 1_000_000 } });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"] });
  try {
    const seconds: number[] = [];
    let rpc = 0;
    let workers = 0;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const page = await browser.newPage();
      let requests = 0;
      page.on("request", (request) => {
        if (new URL(request.url()).pathname === "/rpc") requests += 1;
      });
      let spawned = 0;
      page.on("worker", () => {
        spawned += 1;
      });
      await page.goto(`${server.url}/portfolio`);
      // The scripts are built once per server: the first page load builds them (not timed).
      await page.waitForFunction(() => document.readyState === "complete");
      const started = performance.now();
      await page.setInputFiles("#files", [...files]);
      await page.waitForSelector("#holder, #failure", { timeout: 600_000 });
      seconds.push((performance.now() - started) / 1000);
      if (await page.$("#failure")) throw new Error(`the portfolio page refused the files: ${await page.textContent("#failure")}`);
      const counted = await page.textContent('[data-fact="counted"]');
      if (counted !== `${files.length - ACHIEVEMENTS.length * OTHERS_PER_BATCH - REVOKED} of ${files.length}`) throw new Error(`unexpected portfolio on the page: ${counted}`);
      if (attempt === 0) [rpc, workers] = [requests, spawned];
      await page.close();
    }
    return { seconds: seconds.sort((a, b) => a - b), rpc, workers };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * Measures `credreg verify --portfolio` of 1,000 credentials (and plain `credreg verify` of the same files), three runs
 * each; returns the markdown section.
 */
export async function measurePortfolio(bench: BenchRegistry, work: string): Promise<string> {
  const dirs = await issuePortfolio(bench, work);
  const count = ACHIEVEMENTS.length * PER_BATCH;
  const results = path.join(work, "portfolio-results.json");
  await mkdir(path.dirname(results), { recursive: true });
  const once = async (args: string[]) => {
    const output = await open(results, "w");
    const started = performance.now();
    const child = spawn(process.execPath, [path.resolve("src/cli/credreg.ts"), "verify", ...args, ...dirs, "--json"], {
      env: { PATH: process.env.PATH, CREDREG_RPC_URL: bench.node.url, CREDREG_TRUSTED_REGISTRIES: bench.deployment.address },
      stdio: ["ignore", output.fd, "inherit"],
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const seconds = (performance.now() - started) / 1000;
    await output.close();
    const document = JSON.parse(await readFile(results, "utf8")) as { summary?: Verification; verification?: Verification; portfolio?: { counts: Record<string, number>; totalCredits: number } };
    const verification = (document.verification ?? document.summary)!;
    if (verification.total !== count || verification.invalid !== REVOKED) throw new Error(`unexpected verification ${JSON.stringify(verification)}`);
    if (args.includes("--portfolio")) {
      // Ada's 960 credentials, 10 revoked; 40 of other holders; 5 + 5 + 4 + 4 ECTS.
      const expected = { total: count, valid: count - REVOKED, counted: count - ACHIEVEMENTS.length * OTHERS_PER_BATCH - REVOKED, otherHolder: ACHIEVEMENTS.length * OTHERS_PER_BATCH, invalid: REVOKED, couldNotVerify: 0 };
      if (code !== 0 || JSON.stringify(document.portfolio?.counts) !== JSON.stringify(expected) || document.portfolio?.totalCredits !== 18) throw new Error(`unexpected portfolio (exit ${code}) ${JSON.stringify(document.portfolio?.counts)}`);
    } else if (code !== 1) throw new Error(`credreg verify exited ${code} (expected 1: some credentials are revoked)`);
    return { seconds, rpc: verification.rpc };
  };
  const rows: string[] = [];
  const cases = [
    [`\`verify --portfolio --pathways examples/pathway.json\`, every core (${availableParallelism()} threads)`, ["--portfolio", "--pathways", path.resolve("examples/pathway.json")]],
    ["`verify --portfolio`, one thread (`--threads 1`)", ["--portfolio", "--threads", "1"]],
    [`plain \`verify\` of the same files, every core`, []],
  ] as const;
  for (const [label, args] of cases) {
    const runs = [];
    for (let attempt = 0; attempt < 3; attempt += 1) runs.push(await once([...args]));
    const seconds = runs.map((entry) => entry.seconds).sort((a, b) => a - b);
    const { rpc } = runs[0]!;
    rows.push(`| ${label} | ${seconds[1]!.toFixed(2)} s (${seconds.map((value) => value.toFixed(2)).join(", ")}) | ${rpc.requests} calls in ${rpc.httpRequests} HTTP requests |`);
  }
  const files: string[] = [];
  for (const dir of dirs) files.push(...(await readdir(dir)).filter((name) => name.endsWith(".json")).sort().map((name) => path.join(dir, name)));
  const page = await measurePortfolioPage(bench, work, files);
  rows.push(
    page === undefined
      ? "| the portfolio page (`/portfolio`, Chromium) | not measured: no /usr/bin/chromium | |"
      : `| the portfolio page (\`/portfolio\` in headless Chromium, ${page.workers} workers), from choosing the files to the summary | ${page.seconds[1]!.toFixed(2)} s (${page.seconds.map((value) => value.toFixed(2)).join(", ")}) | ${page.rpc} requests to /rpc |`,
  );
  return `### Portfolios: \`credreg verify --portfolio\` of ${count.toLocaleString("en-US")} credentials against a local hardhat node over HTTP

Wall time of the whole command (process start to exit) for a candidate's ${count.toLocaleString("en-US")} format 2 credentials
(signed; four batches of ${PER_BATCH} of one issuer, one achievement each; ${REVOKED} revoked; ${ACHIEVEMENTS.length * OTHERS_PER_BATCH} of other
holders): every file read once, verified in bulk (the signatures on every core), the valid ones read back and
summarised (skills, credits, EQF level, pathways), the JSON written to a file; plain \`credreg verify\` of the same
files for comparison; and the portfolio page given the same files (verified in the browser on a worker per core,
through the server's /rpc).

| run | wall time, middle of 3 (all 3) | JSON-RPC |
|---|---:|---|
${rows.join("\n")}
`;
}
