import { describe, expect, it } from "vitest";
import { attachProof } from "../../src/batch/attachProof.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import type { AchievementInput, RecipientInput } from "../../src/credential/issuanceInputSchema.ts";
import { PortfolioInvariantError } from "../../src/errors/portfolioErrors.ts";
import { type PortfolioEntry, summarisePortfolio } from "../../src/portfolio/summarisePortfolio.ts";
import { componentEvidenceOf } from "../../src/stacking/componentEvidenceOf.ts";
import { pathwayFromValue } from "../../src/stacking/pathwayFromValue.ts";
import { readCredentialInput } from "../../src/verifier/readCredentialInput.ts";
import type { VerificationResult, VerificationStep } from "../../src/verifier/verificationTypes.ts";
import { SAMPLE_ANCHOR, SAMPLE_REGISTRY, sampleAchievement } from "../helpers/sampleCredentials.ts";

// The pure summary, on format 1 credentials built off chain with made-up verification results: who the candidate is,
// what counts, and how credits, levels, skills and pathways add up.

const achievement = (slug: string, credits: number, eqfLevel: number, skills: string[] = []): AchievementInput => ({
  ...sampleAchievement,
  id: `https://demo-university.example/achievements/${slug}`,
  name: `Course ${slug}`,
  workload: { ectsCredits: credits },
  eqfLevel,
  alignment: skills.map((skill) => ({ type: ["Alignment"], targetName: `skill ${skill}`, targetUrl: `http://data.europa.eu/esco/skill/${skill}`, targetFramework: "ESCO" })),
});

/**
 * Format 1 credentials of `course`, one per recipient in their order (a batch of its own each: a batch places its
 * credentials in an order of its own), as files anchored nowhere: only the summary reads them.
 */
async function issued(course: AchievementInput, recipients: RecipientInput[]): Promise<Credential[]> {
  const template = { issuer: { id: "https://demo-university.example/issuer", name: "Demo University" }, achievement: course, registry: { chainId: 31337, address: SAMPLE_REGISTRY }, validFrom: "2026-01-01T00:00:00Z" };
  return Promise.all(
    recipients.map(async (recipient) => {
      const batch = await buildBatchFromRecipients(template, [recipient]);
      return attachProof(batch.credential(0), batch, 0, SAMPLE_ANCHOR, "2026-01-02T00:00:00Z");
    }),
  );
}

const passedStep = (name: VerificationStep["name"]): VerificationStep => ({ name, status: "passed", message: "ok", details: {} });

/** A credential the verifier found valid. */
function valid(source: string, credential: Credential): PortfolioEntry {
  const read = readCredentialInput(JSON.stringify(credential));
  const result: VerificationResult = { status: "valid", steps: [passedStep("format")], summary: { credentialId: credential.id, issuerName: "Demo University" } };
  return { source, result, read };
}

function failing(source: string, status: "invalid" | "error", steps: VerificationStep[]): PortfolioEntry {
  return { source, result: { status, steps, summary: { credentialId: "urn:uuid:00000000-0000-4000-8000-000000000001", holder: "Ada Lovelace", achievement: "Course x" } }, read: undefined };
}

describe("summarisePortfolio", () => {
  it("default: the candidate is the holder of the most valid credentials; on a tie, the holder met first", async () => {
    const [bea1, ada1, bea2, ada2] = await issued(achievement("a", 5, 6), [{ name: "Bea Baker" }, { name: "Ada Lovelace" }, { name: "Bea Baker" }, { name: "Ada Lovelace" }]);
    const entries = [valid("bea-1", bea1!), valid("ada-1", ada1!), valid("bea-2", bea2!), valid("ada-2", ada2!)];
    const tie = summarisePortfolio(entries);
    expect(tie.holder).toEqual({ name: "Bea Baker", chosenBy: "largest-group", emailChecked: false });
    expect(tie.holders).toEqual([{ name: "Bea Baker", credentials: 2 }, { name: "Ada Lovelace", credentials: 2 }]);
    expect(tie.otherHolders.map((entry) => [entry.source, entry.message])).toEqual([["ada-1", "Held by Ada Lovelace, not Bea Baker."], ["ada-2", "Held by Ada Lovelace, not Bea Baker."]]);
    const [ada3] = await issued(achievement("b", 5, 6), [{ name: "Ada Lovelace" }]);
    const more = summarisePortfolio([...entries, valid("ada-3", ada3!)]);
    expect(more.holder.name).toBe("Ada Lovelace");
    expect(more.counts).toEqual({ total: 5, valid: 5, counted: 3, otherHolder: 2, invalid: 0, couldNotVerify: 0 });
    // Named: whoever the employer names, even when another holds more.
    expect(summarisePortfolio([...entries, valid("ada-3", ada3!)], { holderName: "bea baker" }).holder).toEqual({ name: "Bea Baker", chosenBy: "holder-name", emailChecked: false });
  });

  it("behavior: names are compared after Unicode NFC, collapsing spaces and ignoring case; the first spelling met is shown", async () => {
    const [first, second, third] = await issued(achievement("a", 5, 6), [{ name: "Jose\u0301 Martínez" }, { name: "JOSÉ   martínez" }, { name: "Josè Martínez" }]);
    const portfolio = summarisePortfolio([valid("1", first!), valid("2", second!), valid("3", third!)]);
    expect(portfolio.holder.name).toBe("Jose\u0301 Martínez");
    expect(portfolio.counts.counted).toBe(2);
    expect(portfolio.otherHolders.map((entry) => entry.holder)).toEqual(["Josè Martínez"]);
  });

  it("behavior: a credential naming no holder counts only when the e-mail address given is its own", async () => {
    const [named, unnamed, someoneElse] = await issued(achievement("a", 5, 6), [
      { name: "Ada Lovelace", email: "ada@example.org" },
      { email: "ada@example.org" },
      { email: "alan@example.org" },
    ]);
    const entries = [valid("named", named!), valid("unnamed", unnamed!), valid("alan", someoneElse!)];
    const without = summarisePortfolio(entries);
    expect(without.counts).toMatchObject({ counted: 1, otherHolder: 2 });
    expect(without.otherHolders[0]!.message).toBe("Names no holder (only a hashed e-mail address): give the candidate's e-mail address to count it.");
    const checked = summarisePortfolio(entries, { holderEmail: " ADA@example.org " });
    expect(checked.holder).toEqual({ name: "Ada Lovelace", chosenBy: "largest-group", emailChecked: true });
    expect(checked.credentials.map((credential) => credential.source)).toEqual(["named", "unnamed"]);
    expect(checked.otherHolders.map((entry) => [entry.source, entry.message])).toEqual([["alan", "Not issued to ADA@example.org."]]);
  });

  it("behavior: credits count each achievement once, a qualification through its components; skills once per URL; the highest level of all", async () => {
    const [python] = await issued(achievement("python", 5, 6, ["python", "analysis"]), [{ name: "Ada Lovelace" }]);
    const [pythonAgain] = await issued(achievement("python", 5, 6, ["python"]), [{ name: "Ada Lovelace" }]);
    const [statistics] = await issued(achievement("statistics", 2.2, 6, ["analysis"]), [{ name: "Ada Lovelace" }]);
    const [sql] = await issued(achievement("sql", 4.1, 5), [{ name: "Ada Lovelace" }]);
    const [certificate] = await issued(achievement("certificate", 30, 7, ["analysis", "reporting"]), [{ name: "Ada Lovelace" }]);
    // What the verifier reads of a stacked credential (format 2 only; the summary sees the read value): its rule and
    // its components, of which only python's file is in the portfolio.
    const components = [python!, statistics!, sql!].map((file) => componentEvidenceOf(readCredentialInput(JSON.stringify(file))));
    const rule = { id: "https://demo-university.example/pathways/certificate", required: 3, components: components.map((component) => ({ achievement: component.achievement })) };
    const stackedEntry = valid("certificate", certificate!);
    const stacked: PortfolioEntry = { ...stackedEntry, read: { ...stackedEntry.read!, stacked: { pathway: rule, components: components.map((evidence) => ({ evidence, hashes: undefined })) } } };
    const portfolio = summarisePortfolio([valid("python", python!), valid("python-again", pythonAgain!), stacked]);
    expect(portfolio.achievements.map((entry) => [entry.id.split("/").at(-1), entry.credits, entry.credentials.length, entry.inQualifications])).toEqual([
      ["python", 5, 2, [certificate!.id]],
      ["statistics", 2.2, 1, [certificate!.id]],
      ["sql", 4.1, 1, [certificate!.id]],
    ]);
    // 5 + 2.2 + 4.1 (not 11.299999999999999), and not the certificate's own 30.
    expect(portfolio.totalCredits).toBe(11.3);
    expect(portfolio.highestEqfLevel).toBe(7);
    expect(portfolio.skills.map((skill) => [skill.targetName, skill.credentials])).toEqual([
      ["skill python", [python!.id, pythonAgain!.id]],
      ["skill analysis", [python!.id, certificate!.id]],
      ["skill reporting", [certificate!.id]],
    ]);
    expect(portfolio.qualifications).toMatchObject([{ source: "certificate", credits: 30, eqfLevel: 7, pathway: rule.id, components: components.map((component) => ({ credentialId: component.id })) }]);

    // Pathways see the qualification's components as held.
    const pathway = (id: string, components: { achievement: string }[], required: number) =>
      pathwayFromValue({ type: "CredregPathway", id, qualification: { ...achievement(id.split("/").at(-1)!, 10, 6), id: `${id}-qualification` }, components, required });
    const progress = summarisePortfolio([valid("python", python!), stacked], {
      pathways: [
        pathway(rule.id, rule.components, 3),
        pathway("https://x.example/p/ready", [{ achievement: components[1]!.achievement }, { achievement: components[2]!.achievement }], 2),
        pathway("https://x.example/p/nearly", [{ achievement: components[2]!.achievement }, { achievement: "https://x.example/a/other" }], 2),
        pathway("https://x.example/p/none", [{ achievement: "https://x.example/a/other" }], 1),
      ],
    }).pathways!;
    expect(progress.completed.map((entry) => [entry.id, entry.stackedAs])).toEqual([[rule.id, certificate!.id]]);
    expect(progress.readyToStack.map((entry) => [entry.id, entry.held.map((held) => held.credentialId), entry.credits])).toEqual([["https://x.example/p/ready", [components[1]!.id, components[2]!.id], 6.3]]);
    expect(progress.nearlyCompleted.map((entry) => [entry.id, entry.missing])).toEqual([["https://x.example/p/nearly", [{ achievement: "https://x.example/a/other", issuer: null }]]]);
    expect(progress.notStarted.map((entry) => entry.id)).toEqual(["https://x.example/p/none"]);
  });

  it("behavior: credentials not valid or not verified are listed apart, each with its first failing (or unverifiable) step", async () => {
    const [ada] = await issued(achievement("a", 5, 6), [{ name: "Ada Lovelace" }]);
    const portfolio = summarisePortfolio([
      failing("revoked", "invalid", [passedStep("format"), { name: "status", status: "failed", message: "Revoked at 2026-01-01T00:00:00Z.", details: {} }, { name: "validity", status: "failed", message: "Expired.", details: {} }]),
      failing("offline", "error", [passedStep("format"), { name: "chain", status: "skipped", message: "Could not verify: the RPC is down.", details: { couldNotVerify: true } }]),
      valid("ada", ada!),
    ]);
    expect(portfolio.invalid).toEqual([
      { source: "revoked", credentialId: "urn:uuid:00000000-0000-4000-8000-000000000001", holder: "Ada Lovelace", achievement: "Course x", status: "invalid", step: "status", message: "Revoked at 2026-01-01T00:00:00Z." },
      { source: "offline", credentialId: "urn:uuid:00000000-0000-4000-8000-000000000001", holder: "Ada Lovelace", achievement: "Course x", status: "error", step: "chain", message: "Could not verify: the RPC is down." },
    ]);
    expect(portfolio.counts).toEqual({ total: 3, valid: 1, counted: 1, otherHolder: 0, invalid: 1, couldNotVerify: 1 });
    // Only the valid one counts (the invalid one claims to be Ada's too).
    expect(portfolio.credentials.map((credential) => credential.source)).toEqual(["ada"]);
    expect(portfolio.totalCredits).toBe(5);
  });

  it("error: a valid credential given without what the verifier read of it is an invariant error, never a summary", async () => {
    const [ada] = await issued(achievement("a", 5, 6), [{ name: "Ada Lovelace" }]);
    const entry = valid("ada", ada!);
    expect(() => summarisePortfolio([{ ...entry, read: undefined }])).toThrow(PortfolioInvariantError);
    expect(() => summarisePortfolio([{ ...entry, read: undefined }])).toThrow("The valid credential ada was given without what the verifier read of it.");
  });
});
