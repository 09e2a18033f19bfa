import { escapeForTerminal } from "./escapeForTerminal.ts";
import type { VerifiedSource, VerifySummary, VerifyTrustReport } from "./verifyCommand.ts";

const MARK = { passed: "✔", failed: "✘", skipped: "-" } as const;
const VERDICT = { valid: "VALID", invalid: "NOT VALID", error: "COULD NOT VERIFY" } as const;

/**
 * Human lines for `credreg verify`: what is trusted and why, every step of each credential (when few or
 * --verbose), then a summary. Every line is escaped for the terminal: a credential can hold any character.
 */
export function formatVerification(results: readonly VerifiedSource[], summary: VerifySummary, detailed: boolean, trust?: VerifyTrustReport): string[] {
  const lines: string[] = [];
  if (trust !== undefined) {
    for (const registry of trust.registries) lines.push(`Trusted registry ${registry.address}${registry.chainId ? ` on ${registry.chainId}` : ""} (${registry.source})`);
    if (trust.issuers !== null) lines.push(`Trusted issuers: ${trust.issuers.map((issuer) => `${issuer.address} (${issuer.source})`).join(", ") || "none"}`);
    lines.push("");
  }
  for (const result of results) {
    const who = [result.summary.holder, result.summary.achievement].filter(Boolean).join(", ");
    if (detailed) {
      lines.push(`${result.source}${who ? ` (${who})` : ""}`);
      for (const step of result.steps) lines.push(`  ${MARK[step.status]} ${step.name.padEnd(9)} ${step.message}`);
      lines.push(`  ${VERDICT[result.status]}`, "");
    } else if (result.status !== "valid") {
      const first = result.steps.find((step) => step.status === "failed") ?? result.steps.find((step) => step.details.couldNotVerify === true);
      lines.push(`${MARK.failed} ${result.source}: ${VERDICT[result.status]} at ${first?.name}: ${first?.message}`);
    }
  }
  const reasons = Object.entries(summary.invalidByStep).map(([step, count]) => `${count} at ${step}`).join(", ");
  lines.push(`${summary.total} credential${summary.total === 1 ? "" : "s"}: ${summary.valid} valid, ${summary.invalid} not valid${reasons ? ` (${reasons})` : ""}, ${summary.error} could not be verified.`);
  return lines.map((line) => escapeForTerminal(line));
}
