import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ISSUER_A, ISSUER_B, MACHINE_LEARNING, type PortfolioCorpus } from "./portfolioCorpus.ts";

// A candidate's folder of 50 files from the portfolio corpus (valid, revoked, suspended, other holders', forged; JSON
// files, baked SVG and PNG badges; formats 1 and 2; two issuers; a stacked certificate), and a folder of 5 pathways.

type Json = Record<string, any>;

export const ACHIEVEMENTS = {
  python: "https://demo-university.example/achievements/data-analysis-python",
  statistics: "https://demo-university.example/achievements/applied-statistics",
  sql: "https://open-college.example/achievements/sql-for-analysts",
  visualisation: "https://open-college.example/achievements/data-visualisation",
  machineLearning: MACHINE_LEARNING.id,
};
export const DATA_SCIENCE = "https://demo-university.example/pathways/data-science-certificate";
/** A file that is not JSON, with a terminal escape in its name. */
export const BROKEN = "forged-3-broken\u001b[2J.json";
/** The recipients.csv lines of everyone but Ada (line 2). */
const OTHERS = Array.from({ length: 11 }, (_, index) => String(index + 3).padStart(2, "0"));

/** Where the folders are, and the credential ids of Ada's valid credentials. */
export type PortfolioFolder = { readonly portfolioDir: string; readonly pathwaysDir: string; readonly ids: Readonly<Record<"python" | "statistics" | "sql" | "machineLearning" | "certificate", string>> };

const line = (number: string) => `credential-0000${number}`;
const idOf = async (file: string) => (JSON.parse(await readFile(file, "utf8")) as Json).id as string;

/** A pathway file like examples/pathway.json, for another qualification and rule. */
async function pathwayFile(pathwaysDir: string, name: string, rule: Json): Promise<void> {
  const example = JSON.parse(await readFile("examples/pathway.json", "utf8")) as Json;
  const qualification = { ...example.qualification, id: `https://demo-university.example/qualifications/${name}`, name: `Qualification ${name}` };
  await writeFile(path.join(pathwaysDir, `${name}.json`), JSON.stringify({ type: "CredregPathway", id: `https://demo-university.example/pathways/${name}`, qualification, ...rule }));
}

/** Writes the folders under `work`. */
export async function writePortfolioFolder(corpus: PortfolioCorpus, work: string): Promise<PortfolioFolder> {
  const ids: Record<string, string> = {};
  const { a1, a2, a3, b1, b2, stacked } = corpus;
  const portfolioDir = path.join(work, "portfolio");
  await mkdir(portfolioDir);
  const copies: [string, string][] = [
    // Ada's valid credentials: 6 files, 5 credentials (the python one as JSON and as its baked SVG).
    [path.join(a1, `${line("02")}.json`), "ada-1-python.json"],
    [path.join(a1, `${line("02")}.svg`), "ada-2-python.svg"],
    [path.join(a2, `${line("02")}.json`), "ada-3-statistics.json"],
    [path.join(b1, `${line("02")}.png`), "ada-4-sql.png"],
    [path.join(a3, `${line("02")}.json`), "ada-5-machine-learning.json"],
    [stacked, "ada-6-certificate.json"],
    // Not valid: revoked (Ada's), suspended (Grace's).
    [path.join(b2, `${line("02")}.json`), "ada-7-visualisation.json"],
    [path.join(a2, `${line("04")}.json`), "grace-statistics-suspended.json"],
    // Other holders' valid credentials: 38 files.
    ...OTHERS.map((number): [string, string] => [path.join(a1, `${line(number)}.json`), `other-a1-${number}.json`]),
    ...OTHERS.slice(1, 5).map((number): [string, string] => [path.join(a1, `${line(number)}.svg`), `other-a1-badge-${number}.svg`]),
    ...OTHERS.filter((number) => number !== "04").map((number): [string, string] => [path.join(a2, `${line(number)}.json`), `other-a2-${number}.json`]),
    ...OTHERS.map((number): [string, string] => [path.join(b1, `${line(number)}.png`), `other-b1-${number}.png`]),
    [path.join(b2, `${line("03")}.json`), "other-b2-03.json"],
    [path.join(a3, `${line("03")}.json`), "other-a3-03.json"],
  ];
  for (const [from, to] of copies) await copyFile(from, path.join(portfolioDir, to));
  // Forged: credits raised (format 2), another holder's credential renamed to Ada (format 1), not JSON, a badge without a credential.
  const statistics = JSON.parse(await readFile(path.join(a2, `${line("02")}.json`), "utf8")) as Json;
  statistics.credentialSubject.achievement.creditsAvailable = 30;
  await writeFile(path.join(portfolioDir, "forged-1-statistics-credits.json"), JSON.stringify(statistics));
  const alan = JSON.parse(await readFile(path.join(a3, `${line("03")}.json`), "utf8")) as Json;
  alan.credentialSubject.identifier.find((identity: Json) => identity.identityType === "name").identityHash = "Ada Lovelace";
  await writeFile(path.join(portfolioDir, "forged-2-alan-as-ada.json"), JSON.stringify(alan));
  // Its name holds a terminal escape: printed escaped, never acted on.
  await writeFile(path.join(portfolioDir, BROKEN), "{ not json");
  await writeFile(path.join(portfolioDir, "forged-4-plain.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>');

  ids.python = await idOf(path.join(a1, `${line("02")}.json`));
  ids.statistics = await idOf(path.join(a2, `${line("02")}.json`));
  ids.sql = await idOf(path.join(b1, `${line("02")}.json`));
  ids.machineLearning = await idOf(path.join(a3, `${line("02")}.json`));
  ids.certificate = await idOf(stacked);

  const pathwaysDir = path.join(work, "pathways");
  await mkdir(pathwaysDir);
  await copyFile("examples/pathway.json", path.join(pathwaysDir, "1-data-science.json"));
  await pathwayFile(pathwaysDir, "2-python-statistics", { components: [{ achievement: ACHIEVEMENTS.python, issuer: ISSUER_A }, { achievement: ACHIEVEMENTS.statistics }], required: "all" });
  await pathwayFile(pathwaysDir, "3-visual-analytics", { components: [{ achievement: ACHIEVEMENTS.sql }, { achievement: ACHIEVEMENTS.visualisation }, { achievement: "https://open-college.example/achievements/dashboards" }], required: "all" });
  await pathwayFile(pathwaysDir, "4-advanced", { components: [{ achievement: ACHIEVEMENTS.machineLearning }, { achievement: ACHIEVEMENTS.sql }], required: 2, minEqfLevel: 6 });
  // Python counts only from Open College here: Ada's is Demo University's.
  await pathwayFile(pathwaysDir, "5-cloud", { components: [{ achievement: ACHIEVEMENTS.python, issuer: ISSUER_B }, { achievement: "https://open-college.example/achievements/cloud-basics" }], required: 1 });
  return { portfolioDir, pathwaysDir, ids: ids as PortfolioFolder["ids"] };
}
