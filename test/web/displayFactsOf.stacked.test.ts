import { describe, expect, it } from "vitest";
import { COMPONENT_VERDICT, displayFactsOf } from "../../src/web/displayFactsOf.ts";
import type { StepName, VerificationResult, VerificationStep } from "../../src/verifier/verificationTypes.ts";

// What the verify page lists of a stacked credential, from a verification result (the cases a real node does not make
// easily: a component whose chain facts could not be read, an issuer step that did not pass). The browser test
// (verifyPageStacked.test.ts) covers valid, revoked and altered files end to end.
const UNIVERSITY = "0x70997970C51812dc3A010C7d01b50e0d17dC79C8";
const COLLEGE = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const PATHWAY = "https://demo-university.example/pathways/data-science-certificate";

const entry = (id: string, name: string, achievement: string, issuer: string, credits: number) => ({
  type: ["Evidence", "CredregComponent2026"],
  id,
  name,
  achievement,
  creditsAvailable: credits,
  eqfLevel: 6,
  anchor: { issuer },
});

/** The parts of a stacked credential displayFactsOf reads (the verifier has checked the rest). */
const credential = {
  credentialSubject: {
    achievement: {
      name: "Certificate in Applied Data Science",
      pathway: {
        id: PATHWAY,
        required: 2,
        minCredits: 9,
        components: [{ achievement: "https://a.example/python" }, { achievement: "https://a.example/statistics" }, { achievement: "https://b.example/sql" }],
      },
    },
  },
  evidence: [
    entry("urn:uuid:00000000-0000-4000-8000-000000000001", "Python", "https://a.example/python", UNIVERSITY, 5),
    entry("urn:uuid:00000000-0000-4000-8000-000000000002", "SQL", "https://b.example/sql", COLLEGE, 4),
  ],
};

const step = (name: StepName, status: VerificationStep["status"], message: string, details: Record<string, unknown> = {}): VerificationStep => ({ name, status, message, details });

function verification(issuer: VerificationStep, components: VerificationStep): VerificationResult {
  return { status: "error", steps: [step("format", "passed", "ok"), issuer, components], summary: {} };
}

const outcome = (index: number, issuer: string, status: string, stepName: string | null, message: string) => ({
  id: credential.evidence[index]!.id,
  name: credential.evidence[index]!.name,
  achievement: credential.evidence[index]!.achievement,
  issuer,
  root: "0x",
  leafIndex: 0,
  status,
  step: stepName,
  message,
});

describe("displayFactsOf, stacked credentials", () => {
  it("behavior: a component that could not be verified is 'could not verify' with its step and message; the count is over the valid ones; the stacking issuer named once the issuer step passed", () => {
    const components = step("components", "skipped", "Could not verify: component SQL …", {
      pathway: PATHWAY,
      components: [outcome(0, UNIVERSITY, "valid", null, "Not revoked, not suspended, batch not revoked."), outcome(1, COLLEGE, "error", "status", "Could not verify: the status could not be read.")],
      couldNotVerify: true,
    });
    const facts = displayFactsOf(credential, verification(step("issuer", "passed", "ok", { issuer: UNIVERSITY.toLowerCase(), name: "Demo University" }), components))!;
    expect(facts.stack).toEqual({
      pathway: PATHWAY,
      summary: "1 of 3 counted, 2 required, 5 ECTS of at least 9, counting the valid components only",
      components: [
        { id: credential.evidence[0]!.id, name: "Python", issuer: "Demo University", status: "valid", message: "Not revoked, not suspended, batch not revoked." },
        { id: credential.evidence[1]!.id, name: "SQL", issuer: COLLEGE, status: "error", message: "status: Could not verify: the status could not be read." },
      ],
    });
    expect(facts.stack!.components.map((component) => COMPONENT_VERDICT[component.status])).toEqual(["valid", "could not verify"]);
  });

  it("security: the stacking issuer's name is not shown when the issuer step did not pass (its address instead)", () => {
    const components = step("components", "passed", "All 2 components valid", {
      pathway: PATHWAY,
      components: [outcome(0, UNIVERSITY, "valid", null, "ok"), outcome(1, COLLEGE, "valid", null, "ok")],
      counted: [credential.evidence[0]!.id, credential.evidence[1]!.id],
      credits: 9,
      required: 2,
    });
    const facts = displayFactsOf(credential, verification(step("issuer", "failed", "not the profile bound", { issuer: UNIVERSITY, name: "Demo University" }), components))!;
    expect(facts.stack!.components.map((component) => component.issuer)).toEqual([UNIVERSITY, COLLEGE]);
    expect(facts.stack!.summary).toBe("2 of 3 counted, 2 required, 9 ECTS of at least 9: the rule holds");
  });

  it("behavior: each component's issuer is named as the registry names it when its own issuer check passed (issuerName), else by address", () => {
    const components = step("components", "passed", "All 2 components valid", {
      pathway: PATHWAY,
      components: [{ ...outcome(0, UNIVERSITY, "valid", null, "ok"), issuerName: null }, { ...outcome(1, COLLEGE, "valid", null, "ok"), issuerName: "Open College" }],
      counted: [credential.evidence[0]!.id, credential.evidence[1]!.id],
      credits: 9,
      required: 2,
    });
    const facts = displayFactsOf(credential, verification(step("issuer", "failed", "not the profile bound", { issuer: UNIVERSITY, name: "Demo University" }), components))!;
    expect(facts.stack!.components.map((component) => component.issuer)).toEqual([UNIVERSITY, "Open College"]);
  });

  it("default: a credential without a pathway has no stack", () => {
    const plain = { credentialSubject: { achievement: { name: "Python" } } };
    expect(displayFactsOf(plain, verification(step("issuer", "passed", "ok"), step("components", "skipped", "Not a stacked credential: it names no components.", { stacked: false })))!.stack).toBeUndefined();
  });
});
