import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { ISSUER_A, issuePortfolioCorpus, MACHINE_LEARNING, type PortfolioCorpus } from "../helpers/portfolioCorpus.ts";
import { ACHIEVEMENTS, BROKEN, DATA_SCIENCE, type PortfolioFolder, writePortfolioFolder } from "../helpers/portfolioFolder.ts";
import { runCli } from "../helpers/runCli.ts";
import { zipArchive } from "../helpers/zipArchive.ts";

// `credreg verify --portfolio`: a candidate's folder of 50 files (valid, revoked, suspended, other holders', forged;
// JSON files, baked SVG and PNG badges; formats 1 and 2; two issuers; a stacked certificate) summarised exactly.

type Json = Record<string, any>;

const PYTHON_SKILL = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d";
const ANALYSIS_SKILL = "http://data.europa.eu/esco/skill/5898d99a-62ea-4ddc-8a22-e41ab4ef6ed2";

let node: LocalNode;
let work: string;
let corpus: PortfolioCorpus;
let portfolioDir: string;
let pathwaysDir: string;
let verifierEnv: Record<string, string>;
/** Credential ids by what they are. */
let ids: PortfolioFolder["ids"];

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-portfolio-"));
  corpus = await issuePortfolioCorpus(node, work);
  verifierEnv = { CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: corpus.registry };
  ({ portfolioDir, pathwaysDir, ids } = await writePortfolioFolder(corpus, work));
});

afterAll(async () => {
  await node?.stop();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const portfolio = (extra: string[] = [], env = verifierEnv) => runCli(["verify", "--portfolio", portfolioDir, ...extra], { cwd: work, env });
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe("credreg verify --portfolio", () => {
  it("default: a portfolio of 50 files (valid, revoked, suspended, other holder, forged) is summarised exactly, exit 0", async () => {
    const run = await portfolio(["--pathways", pathwaysDir, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = run.json.portfolio as Json;
    expect(run.json.verification).toMatchObject({ total: 50, valid: 44, invalid: 6, error: 0 });
    expect(result.format).toBe("credreg-portfolio-v1");
    expect(result.holder).toEqual({ name: "Ada Lovelace", chosenBy: "largest-group", emailChecked: false });
    expect(result.counts).toEqual({ total: 50, valid: 44, counted: 6, otherHolder: 38, invalid: 6, couldNotVerify: 0 });
    expect(result.holders.slice(0, 3)).toEqual([
      { name: "Ada Lovelace", credentials: 6 },
      { name: "Alan Turing", credentials: 5 },
      { name: "Katherine Johnson", credentials: 4 },
    ]);
    expect(result.holders).toHaveLength(12);

    // Skills de-duplicated by URL (the python credential is there twice, as JSON and baked SVG; the certificate
    // repeats both of its skills; statistics repeats one); the EQF alignments are not skills.
    expect(result.skills).toEqual([
      { targetUrl: PYTHON_SKILL, targetName: "Python (computer programming)", targetFramework: "ESCO", credentials: [ids.python, ids.certificate] },
      { targetUrl: ANALYSIS_SKILL, targetName: "perform data analysis", targetFramework: "ESCO", credentials: [ids.python, ids.statistics, ids.certificate] },
      { targetUrl: MACHINE_LEARNING.alignment[0]!.targetUrl, targetName: "machine learning", targetFramework: "ESCO", credentials: [ids.machineLearning] },
    ]);
    // 5 + 5 + 4 + 6: each achievement once; the certificate's 13 ECTS are its components' (python, statistics, sql).
    expect(result.totalCredits).toBe(20);
    expect(result.highestEqfLevel).toBe(7);
    expect(result.achievements).toEqual([
      { id: ACHIEVEMENTS.python, name: "Data Analysis with Python", credits: 5, eqfLevel: 6, credentials: [ids.python], inQualifications: [ids.certificate] },
      { id: ACHIEVEMENTS.statistics, name: "Applied Statistics", credits: 5, eqfLevel: 6, credentials: [ids.statistics], inQualifications: [ids.certificate] },
      { id: ACHIEVEMENTS.sql, name: "SQL for Analysts", credits: 4, eqfLevel: 5, credentials: [ids.sql], inQualifications: [ids.certificate] },
      { id: ACHIEVEMENTS.machineLearning, name: "Machine Learning Foundations", credits: 6, eqfLevel: 7, credentials: [ids.machineLearning], inQualifications: [] },
    ]);
    expect(result.qualifications).toEqual([
      {
        source: path.join(portfolioDir, "ada-6-certificate.json"),
        credentialId: ids.certificate,
        achievement: "https://demo-university.example/qualifications/data-science-certificate",
        name: "Certificate in Applied Data Science",
        credits: 13,
        eqfLevel: 6,
        issuer: "Demo University",
        pathway: DATA_SCIENCE,
        components: [
          { credentialId: ids.python, achievement: ACHIEVEMENTS.python, name: "Data Analysis with Python" },
          { credentialId: ids.statistics, achievement: ACHIEVEMENTS.statistics, name: "Applied Statistics" },
          { credentialId: ids.sql, achievement: ACHIEVEMENTS.sql, name: "SQL for Analysts" },
        ],
      },
    ]);
    expect(result.credentials.map((credential: Json) => [path.basename(credential.source), credential.issuer, credential.qualification])).toEqual([
      ["ada-1-python.json", "Demo University", false],
      ["ada-2-python.svg", "Demo University", false],
      ["ada-3-statistics.json", "Demo University", false],
      ["ada-4-sql.png", "Open College", false],
      ["ada-5-machine-learning.json", "Demo University", false],
      ["ada-6-certificate.json", "Demo University", true],
    ]);

    // Pathways: the certificate's is completed; the others by where Ada stands.
    const { completed, readyToStack, nearlyCompleted, notStarted } = result.pathways as Record<string, Json[]>;
    const held = (entry: Json) => entry.held.map((component: Json) => component.achievement);
    expect(completed!.map((entry) => [entry.id, entry.stackedAs, held(entry), entry.credits])).toEqual([[DATA_SCIENCE, ids.certificate, [ACHIEVEMENTS.python, ACHIEVEMENTS.statistics, ACHIEVEMENTS.sql], 14]]);
    expect(readyToStack).toEqual([
      {
        id: "https://demo-university.example/pathways/2-python-statistics",
        name: "Qualification 2-python-statistics",
        qualification: "https://demo-university.example/qualifications/2-python-statistics",
        required: 2,
        minCredits: null,
        minEqfLevel: null,
        credits: 10,
        held: [
          { achievement: ACHIEVEMENTS.python, name: "Data Analysis with Python", credentialId: ids.python, issuer: ISSUER_A, credits: 5, eqfLevel: 6 },
          { achievement: ACHIEVEMENTS.statistics, name: "Applied Statistics", credentialId: ids.statistics, issuer: ISSUER_A, credits: 5, eqfLevel: 6 },
        ],
        belowLevel: [],
        missing: [],
        shortfalls: [],
        stackedAs: null,
      },
    ]);
    expect(nearlyCompleted!.map((entry) => [entry.id.split("/").at(-1), held(entry), entry.belowLevel.map((component: Json) => component.achievement), entry.missing, entry.shortfalls])).toEqual([
      // The revoked visualisation credential does not count.
      ["3-visual-analytics", [ACHIEVEMENTS.sql], [], [{ achievement: ACHIEVEMENTS.visualisation, issuer: null }, { achievement: "https://open-college.example/achievements/dashboards", issuer: null }], ["1 of the 3 components the pathway requires"]],
      // SQL is EQF 5, below the pathway's 6.
      ["4-advanced", [ACHIEVEMENTS.machineLearning], [ACHIEVEMENTS.sql], [{ achievement: ACHIEVEMENTS.sql, issuer: null }], ["1 of the 2 components the pathway requires"]],
    ]);
    expect(notStarted!.map((entry) => [entry.id.split("/").at(-1), entry.held, entry.missing.length])).toEqual([["5-cloud", [], 2]]);

    // Set apart: each with its failing step and message, in input order.
    expect(result.invalid.map((entry: Json) => [path.basename(entry.source), entry.status, entry.step])).toEqual([
      ["ada-7-visualisation.json", "invalid", "status"],
      ["forged-1-statistics-credits.json", "invalid", "integrity"],
      ["forged-2-alan-as-ada.json", "invalid", "integrity"],
      [BROKEN, "invalid", "format"],
      ["forged-4-plain.svg", "invalid", "format"],
      ["grace-statistics-suspended.json", "invalid", "status"],
    ]);
    const messages = result.invalid.map((entry: Json) => entry.message as string);
    expect(messages[0]).toMatch(/^Revoked at .* for reason 3 \(Misconduct/);
    expect(messages[1]).toMatch(/^The file was altered after issuance/);
    expect(messages[2]).toMatch(/^The file was altered after issuance/);
    expect(messages[3]).toMatch(/^Not a credential of this format: 1 problem, first \$: not JSON/);
    expect(messages[4]).toMatch(/baked badge \(SVG\).*no credential/);
    expect(messages[5]).toMatch(/^Suspended at .* for reason/);
    expect(result.invalid[1]).toMatchObject({ credentialId: ids.statistics, holder: "Ada Lovelace" });
    expect(result.otherHolders).toHaveLength(38);
    expect(result.otherHolders[0]).toEqual({ source: path.join(portfolioDir, "other-a1-03.json"), credentialId: expect.stringMatching(/^urn:uuid:/), holder: "Alan Turing", achievement: "Data Analysis with Python", step: "holder", message: "Held by Alan Turing, not Ada Lovelace." });
    expect(new Set(result.otherHolders.map((entry: Json) => entry.holder)).has("Ada Lovelace")).toBe(false);
  });

  it("behavior: the human output names the candidate, the figures and every credential set apart, exit 0", async () => {
    const run = await portfolio(["--pathways", path.join(pathwaysDir, "3-visual-analytics.json")]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe(`Trusted registry ${corpus.registry} (environment (CREDREG_TRUSTED_REGISTRIES))`);
    expect(lines).toContain("Portfolio of Ada Lovelace (the holder of the most valid credentials)");
    expect(lines).toContain("  6 credentials counted: 4 achievements, 1 qualification");
    expect(lines).toContain("  Total credits: 20 ECTS (each achievement once)");
    expect(lines).toContain("  Highest EQF level: 7");
    expect(lines).toContain("  Skills (3):");
    expect(lines).toContain(`    Python (computer programming) [ESCO] ${PYTHON_SKILL} (2 credentials)`);
    expect(lines).toContain(`    Certificate in Applied Data Science: 13 ECTS, EQF 6, pathway ${DATA_SCIENCE}: Data Analysis with Python, Applied Statistics, SQL for Analysts`);
    expect(lines).toContain("  Pathways nearly completed (1):");
    expect(lines.some((text) => text.startsWith("    Qualification 3-visual-analytics (https://demo-university.example/pathways/3-visual-analytics): held SQL for Analysts (4 ECTS); missing https://open-college.example/achievements/data-visualisation,"))).toBe(true);
    expect(lines).toContain(`  ✘ ${path.join(portfolioDir, "other-a1-03.json")}: Held by Alan Turing, not Ada Lovelace.`);
    expect(run.stdout).toMatch(/✘ .*ada-7-visualisation\.json: NOT VALID at status: Revoked at .* for reason 3 \(Misconduct/);
    expect(run.stdout).toMatch(/✘ .*forged-1-statistics-credits\.json: NOT VALID at integrity: The file was altered after issuance/);
    expect(lines.at(-2)).toBe("50 credentials: 6 counted for Ada Lovelace, 38 of other holders, 6 not valid, 0 could not be verified.");
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).toContain("forged-3-broken\\x1b[2J.json: NOT VALID at format: Not a credential of this format: 1 problem, first $: not JSON");
    const advanced = await portfolio(["--pathways", path.join(pathwaysDir, "4-advanced.json")]);
    expect(advanced.stdout).toContain(
      "    Qualification 4-advanced (https://demo-university.example/pathways/4-advanced): held Machine Learning Foundations (6 ECTS); held below EQF 6: SQL for Analysts (EQF 5); missing https://open-college.example/achievements/sql-for-analysts; 1 of the 2 components the pathway requires",
    );
  });

  it("behavior: --holder-name chooses the candidate (case and spaces aside); --holder-email sets apart what was not issued to that address", async () => {
    const alan = await portfolio(["--holder-name", "  alan   TURING ", "--json"]);
    expect(alan.code, alan.stderr).toBe(0);
    expect(alan.json.portfolio.holder).toEqual({ name: "Alan Turing", chosenBy: "holder-name", emailChecked: false });
    expect(alan.json.portfolio.counts).toMatchObject({ counted: 5, otherHolder: 39 });
    expect(alan.json.portfolio.totalCredits).toBe(5 + 5 + 4 + 4 + 6);
    expect(alan.json.portfolio.otherHolders[0]).toMatchObject({ holder: "Ada Lovelace", message: "Held by Ada Lovelace, not Alan Turing." });

    const email = await portfolio(["--holder-email", "Ada@Example.org", "--json"]);
    expect(email.code, email.stderr).toBe(0);
    const result = email.json.portfolio as Json;
    expect(result.holder).toEqual({ name: "Ada Lovelace", chosenBy: "largest-group", emailChecked: true });
    expect(result.counts).toMatchObject({ counted: 6, otherHolder: 38 });
    expect(result.holders).toEqual([{ name: "Ada Lovelace", credentials: 6 }]);
    const byHolder = new Map(result.otherHolders.map((entry: Json) => [entry.holder, entry.message]));
    expect(byHolder.get("Alan Turing")).toBe("Not issued to Ada@Example.org.");
    // Katherine Johnson's row has no e-mail address.
    expect(byHolder.get("Katherine Johnson")).toBe("Holds no hashed e-mail address to compare with Ada@Example.org.");

    const nobody = await portfolio(["--holder-name", "Ada Lovelace", "--holder-email", "alan@example.org", "--json"]);
    expect(nobody.json.portfolio.counts).toMatchObject({ counted: 0, otherHolder: 44 });
    expect(nobody.json.portfolio).toMatchObject({ totalCredits: 0, highestEqfLevel: null, skills: [], achievements: [], qualifications: [], pathways: null });
  });

  it("behavior: with the chain out of reach, the portfolio is still made (exit 0) and lists every credential as not verified", async () => {
    const run = await portfolio(["--json"], { ...verifierEnv, CREDREG_RPC_URL: "http://127.0.0.1:9" });
    expect(run.code, run.stderr).toBe(0);
    // The forged files fail offline (integrity, format); nothing else can be verified.
    expect(run.json.portfolio.counts).toEqual({ total: 50, valid: 0, counted: 0, otherHolder: 0, invalid: 4, couldNotVerify: 46 });
    expect(run.json.portfolio.holder).toEqual({ name: null, chosenBy: "none", emailChecked: false });
    expect(run.json.portfolio.invalid[0]).toMatchObject({ source: path.join(portfolioDir, "ada-1-python.json"), status: "error", step: "chain" });
  });

  it("behavior: a portfolio large enough for worker threads gives what one thread gives", async () => {
    const big = path.join(work, "portfolio-big");
    await mkdir(big);
    const names = (await import("node:fs/promises")).readdir(portfolioDir);
    const files = (await names).sort();
    for (let index = 0; index < 520; index += 1) {
      const name = files[index % files.length]!;
      await copyFile(path.join(portfolioDir, name), path.join(big, `${String(index).padStart(4, "0")}-${name}`));
    }
    const [many, one] = [
      await runCli(["verify", "--portfolio", big, "--json", "--pathways", pathwaysDir], { cwd: work, env: verifierEnv }),
      await runCli(["verify", "--portfolio", big, "--json", "--pathways", pathwaysDir, "--threads", "1"], { cwd: work, env: verifierEnv }),
    ];
    expect(many.code, many.stderr).toBe(0);
    expect(many.json.portfolio).toEqual(one.json.portfolio);
    expect(many.json.portfolio.counts).toEqual({ total: 520, valid: 454, counted: 66, otherHolder: 388, invalid: 66, couldNotVerify: 0 });
    expect(many.json.portfolio.totalCredits).toBe(20);
  });

  it("behavior: a ZIP archive of the portfolio gives the folder's summary; plain verify of the archive checks each credential in it", async () => {
    const names = (await readdir(portfolioDir)).sort();
    const entries = await Promise.all(names.map(async (name) => ({ name: `ada/${name}`, bytes: await readFile(path.join(portfolioDir, name)) })));
    const archive = path.join(work, "ada.zip");
    await writeFile(archive, zipArchive([...entries, { name: "ada/notes.txt", bytes: "not a credential" }]));
    const [fromFolder, fromArchive] = [await portfolio(["--json", "--pathways", pathwaysDir]), await runCli(["verify", "--portfolio", archive, "--json", "--pathways", pathwaysDir], { cwd: work, env: verifierEnv })];
    expect(fromArchive.code, fromArchive.stderr).toBe(0);
    const renamed = JSON.parse(JSON.stringify(fromFolder.json.portfolio).replaceAll(JSON.stringify(`${portfolioDir}/`).slice(0, -1), JSON.stringify(`${archive}:ada/`).slice(0, -1)));
    expect(fromArchive.json.portfolio).toEqual(renamed);
    const plain = await runCli(["verify", archive, "--json"], { cwd: work, env: verifierEnv });
    expect(plain.code).toBe(1);
    expect(plain.json.results).toHaveLength(50);
    expect(plain.json.results.filter((result: Json) => result.status === "valid")).toHaveLength(44);
    expect(plain.json.results[0].source).toBe(`${archive}:ada/${names[0]}`);
  });

  it("error: bad input is one sentence and exit 1, never a stack trace; no trusted registry is exit 2", async () => {
    const invalidPathway = path.join(work, "bad-pathway.json");
    await writeFile(invalidPathway, JSON.stringify({ type: "CredregPathway", id: "https://x.example/p", components: [], required: 1 }));
    const emptyDir = path.join(work, "empty");
    await mkdir(emptyDir);
    const bomb = path.join(work, "bomb.zip");
    await writeFile(bomb, zipArchive([{ name: "cv.json", bytes: Buffer.alloc(20_000_000, 0x20), declaredSize: 100 }]));
    const notZip = path.join(work, "not.zip");
    await writeFile(notZip, "{}");
    const cases: [string[], RegExp][] = [
      [["verify", "--portfolio"], /^credreg: verify --portfolio needs the candidate's credential files/],
      [["verify", "--portfolio", emptyDir], /^credreg: The portfolio holds no credential files\./],
      [["verify", "--portfolio", portfolioDir, "--pathways", path.join(work, "nowhere")], /^credreg: Cannot read the pathways .*nowhere \(ENOENT\)\./],
      [["verify", "--portfolio", portfolioDir, "--pathways", emptyDir], /^credreg: .*empty holds no pathway file \(\.json\)\./],
      [["verify", "--portfolio", portfolioDir, "--pathways", invalidPathway], /^credreg: The pathway file .*bad-pathway\.json is not a valid pathway\./],
      [["verify", portfolioDir, "--pathways", pathwaysDir], /^credreg: --pathways is for portfolios: add --portfolio\./],
      [["verify", portfolioDir, "--holder-name", "Ada Lovelace"], /^credreg: --holder-name is for portfolios: add --portfolio\./],
      [["verify", "--portfolio", portfolioDir, "--recipient", "ada@example.org"], /^credreg: --recipient is not for portfolios\./],
      [["verify", "--portfolio", portfolioDir, "--holder-email", "not an address"], /^credreg: --holder-email not an address is not an e-mail address\./],
      [["verify", "--portfolio", portfolioDir, "--holder-name", " "], /^credreg: --holder-name must be the candidate's name/],
      [["verify", "--portfolio", bomb], /^credreg: The ZIP archive .*bomb\.zip's entry cv\.json inflates to more than the 100 bytes it declares \(a ZIP bomb, or a damaged archive\); nothing was verified\./],
      [["verify", bomb], /^credreg: The ZIP archive .*bomb\.zip's entry cv\.json inflates to more than the 100 bytes it declares/],
      [["verify", "--portfolio", notZip], /^credreg: The ZIP archive .*not\.zip is not a ZIP archive \(no end of central directory record\)\./],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { cwd: work, env: verifierEnv });
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.stderr, args.join(" ")).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      expect(run.stdout).toBe("");
    }
    const bad = await runCli(["verify", "--portfolio", portfolioDir, "--pathways", invalidPathway], { cwd: work, env: verifierEnv });
    expect(bad.stderr).toContain("qualification");
    const untrusted = await runCli(["verify", "--portfolio", portfolioDir], { cwd: work, env: { CREDREG_RPC_URL: node.url } });
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr.split("\n")[0]).toBe("credreg: No trusted registry configured; pass --registry.");
    expect(untrusted.stderr).not.toMatch(STACK_FRAME);
  });
});
