import type { PathwayProgress, Portfolio } from "../portfolio/summarisePortfolio.ts";
import { escapeForTerminal } from "./escapeForTerminal.ts";
import type { VerifyTrustReport } from "./verifyCommand.ts";

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const CHOSEN_BY = { "holder-name": "as named by --holder-name", "largest-group": "the holder of the most valid credentials", none: "no valid credential names a holder" } as const;

function claims(credits: number | null, eqfLevel: number | null): string {
  const parts = [credits === null ? undefined : `${credits} ECTS`, eqfLevel === null ? undefined : `EQF ${eqfLevel}`].filter(Boolean);
  return parts.length === 0 ? "" : `: ${parts.join(", ")}`;
}

function pathwayLines(title: string, entries: readonly PathwayProgress[], describe: (entry: PathwayProgress) => string): string[] {
  if (entries.length === 0) return [];
  return [`  ${title} (${entries.length}):`, ...entries.map((entry) => `    ${entry.name} (${entry.id}): ${describe(entry)}`)];
}

const heldText = (entry: PathwayProgress) => `held ${entry.held.map((component) => component.name).join(", ")} (${entry.credits} ECTS)`;
const belowText = (entry: PathwayProgress) => (entry.belowLevel.length === 0 ? "" : `held below EQF ${entry.minEqfLevel}: ${entry.belowLevel.map((component) => `${component.name} (EQF ${component.eqfLevel ?? "not stated"})`).join(", ")}`);

/**
 * Human lines for `credreg verify --portfolio`: what is trusted, the candidate's portfolio (credentials counted,
 * credits, EQF level, skills, achievements, qualifications, pathways), then the credentials set apart with the step
 * and message that set each apart, and a one-line count. Every line is escaped for the terminal: names, skills and
 * file names come from the files.
 */
export function formatPortfolio(portfolio: Portfolio, trust?: VerifyTrustReport): string[] {
  const lines: string[] = [];
  if (trust !== undefined) {
    for (const registry of trust.registries) lines.push(`Trusted registry ${registry.address}${registry.chainId ? ` on ${registry.chainId}` : ""} (${registry.source})`);
    if (trust.issuers !== null) lines.push(`Trusted issuers: ${trust.issuers.map((issuer) => `${issuer.address} (${issuer.source})`).join(", ") || "none"}`);
    lines.push("");
  }
  const { holder, counts } = portfolio;
  const who = holder.name ?? "(no holder)";
  lines.push(`Portfolio of ${who} (${CHOSEN_BY[holder.chosenBy]}${holder.emailChecked ? "; e-mail address checked" : ""})`);
  lines.push(`  ${plural(counts.counted, "credential")} counted: ${plural(portfolio.achievements.length, "achievement")}, ${plural(portfolio.qualifications.length, "qualification")}`);
  lines.push(`  Total credits: ${portfolio.totalCredits} ECTS (each achievement once)`);
  lines.push(`  Highest EQF level: ${portfolio.highestEqfLevel ?? "none stated"}`);
  lines.push(`  Skills (${portfolio.skills.length}):`);
  for (const skill of portfolio.skills) lines.push(`    ${skill.targetName}${skill.targetFramework === null ? "" : ` [${skill.targetFramework}]`} ${skill.targetUrl} (${plural(skill.credentials.length, "credential")})`);
  lines.push(`  Achievements (${portfolio.achievements.length}):`);
  for (const achievement of portfolio.achievements) {
    const through = achievement.inQualifications.length > 0 ? ", a component of a qualification held" : "";
    lines.push(`    ${achievement.name}${claims(achievement.credits, achievement.eqfLevel)} (${achievement.id})${through}`);
  }
  lines.push(`  Qualifications completed (${portfolio.qualifications.length}):`);
  for (const qualification of portfolio.qualifications) {
    lines.push(`    ${qualification.name}${claims(qualification.credits, qualification.eqfLevel)}, pathway ${qualification.pathway}: ${qualification.components.map((component) => component.name).join(", ")}`);
  }
  if (portfolio.pathways !== null) {
    const { completed, readyToStack, nearlyCompleted, notStarted } = portfolio.pathways;
    lines.push(
      ...pathwayLines("Pathways completed", completed, (entry) => `stacked as ${entry.stackedAs}`),
      ...pathwayLines("Pathways ready to stack", readyToStack, (entry) => `${heldText(entry)}; the rule holds, no stacked credential yet`),
      ...pathwayLines("Pathways nearly completed", nearlyCompleted, (entry) => [heldText(entry), belowText(entry), `missing ${entry.missing.map((missing) => `${missing.achievement}${missing.issuer === null ? "" : ` (from ${missing.issuer})`}`).join(", ")}`, ...entry.shortfalls].filter(Boolean).join("; ")),
      ...pathwayLines("Pathways not started", notStarted, (entry) => `none of its ${plural(entry.missing.length, "component")} held`),
    );
  }
  lines.push(`  Credentials counted (${portfolio.credentials.length}):`);
  for (const credential of portfolio.credentials) lines.push(`    ✔ ${credential.source}: ${credential.name}${credential.issuer === null ? "" : ` (${credential.issuer})`}`);
  if (portfolio.otherHolders.length > 0) {
    lines.push("", `Other holders' credentials (${portfolio.otherHolders.length}):`);
    for (const other of portfolio.otherHolders) lines.push(`  ✘ ${other.source}: ${other.message}`);
  }
  if (portfolio.invalid.length > 0) {
    lines.push("", `Not valid, or could not be verified (${portfolio.invalid.length}):`);
    for (const entry of portfolio.invalid) lines.push(`  ✘ ${entry.source}: ${entry.status === "error" ? "COULD NOT VERIFY" : "NOT VALID"} at ${entry.step ?? "?"}: ${entry.message}`);
  }
  lines.push("", `${plural(counts.total, "credential")}: ${counts.counted} counted for ${who}, ${counts.otherHolder} of other holders, ${counts.invalid} not valid, ${counts.couldNotVerify} could not be verified.`);
  return lines.map((line) => escapeForTerminal(line));
}
