import { anchorStep } from "./steps/anchorStep.ts";
import { chainStep } from "./steps/chainStep.ts";
import { componentsStep } from "./steps/componentsStep.ts";
import { formatStep } from "./steps/formatStep.ts";
import { inclusionStep } from "./steps/inclusionStep.ts";
import { integrityStep } from "./steps/integrityStep.ts";
import { issuerStep } from "./steps/issuerStep.ts";
import { recipientStep } from "./steps/recipientStep.ts";
import { signatureStep } from "./steps/signatureStep.ts";
import { statusStep } from "./steps/statusStep.ts";
import { failed, notChecked, skipped } from "./steps/stepHelpers.ts";
import { validityStep } from "./steps/validityStep.ts";
import { type CredentialFacts, STEP_NAMES, type StepName, type VerificationResult, type VerificationStep } from "./verificationTypes.ts";

type StepDefinition = {
  /** The steps that must have passed before this one runs. */
  readonly needs: readonly StepName[];
  readonly check: (facts: CredentialFacts) => VerificationStep;
  /** Required for a `valid` verdict (the recipient step only when an e-mail address was given). */
  readonly required: (facts: CredentialFacts) => boolean;
};

const always = () => true;

/**
 * The step table, in the order the steps run: what each one needs, and whether it is required. This table is the
 * only place that says which step depends on which (docs/verifier.md shows it).
 */
export const STEP_TABLE: Readonly<Record<StepName, StepDefinition>> = {
  format: { needs: [], check: formatStep, required: always },
  integrity: { needs: ["format"], check: integrityStep, required: always },
  chain: { needs: ["format"], check: chainStep, required: always },
  inclusion: { needs: ["integrity", "chain"], check: inclusionStep, required: always },
  anchor: { needs: ["inclusion"], check: anchorStep, required: always },
  issuer: { needs: ["anchor"], check: issuerStep, required: always },
  signature: { needs: ["anchor"], check: signatureStep, required: (facts) => facts.signed !== undefined },
  status: { needs: ["anchor"], check: statusStep, required: always },
  components: { needs: ["anchor"], check: componentsStep, required: (facts) => facts.stacked !== undefined },
  validity: { needs: ["format"], check: validityStep, required: always },
  recipient: { needs: ["format"], check: recipientStep, required: (facts) => facts.options.recipient !== undefined },
};

/** The table's own order: every step after the steps it needs. */
const RUN_ORDER = Object.keys(STEP_TABLE) as StepName[];

/** What a step that could not run says: the step that really failed (or could not be verified), never a guess. */
function blockedBy(need: VerificationStep, done: ReadonlyMap<StepName, VerificationStep>): VerificationStep["name"] {
  const after = need.details.after;
  return typeof after === "string" && done.has(after as StepName) ? (after as StepName) : need.name;
}

/** Runs `check`, turning any exception into a failure of that step (an exception is never a pass nor a skip). */
function runCheck(name: StepName, definition: StepDefinition, facts: CredentialFacts): VerificationStep {
  try {
    const step = definition.check(facts);
    if (step.name !== name) return failed(name, `Internal error: the ${name} check reported as ${step.name}.`);
    return step;
  } catch (error) {
    return failed(name, `The ${name} check could not be completed: ${error instanceof Error ? error.message : String(error)}.`, { exception: true });
  }
}

/**
 * Runs every step over gathered facts, each only when all it needs passed, and decides the verdict fail-closed:
 * `valid` only when every required step passed; `invalid` when any step failed; otherwise `error` (could not
 * verify: the chain could not be read, or a required step could not run).
 */
export function runSteps(facts: CredentialFacts): VerificationResult {
  const done = new Map<StepName, VerificationStep>();
  for (const name of RUN_ORDER) {
    const definition = STEP_TABLE[name];
    const unmet = definition.needs.map((need) => done.get(need)!).find((step) => step.status !== "passed");
    if (unmet === undefined) done.set(name, runCheck(name, definition, facts));
    else {
      const root = blockedBy(unmet, done);
      const rootStep = done.get(root)!;
      done.set(name, rootStep.details.couldNotVerify === true ? skipped(name, `Not checked: the ${root} step could not be verified.`, { after: root, couldNotVerifyAfter: true }) : notChecked(name, root));
    }
  }
  const steps = STEP_NAMES.map((name) => done.get(name)!);
  const required = steps.filter((step) => STEP_TABLE[step.name].required(facts));
  const anyFailed = steps.some((step) => step.status === "failed");
  const allPassed = required.every((step) => step.status === "passed");
  const status = anyFailed ? "invalid" : allPassed ? "valid" : "error";
  const credential = facts.credential;
  const issuerStepResult = done.get("issuer")!;
  const blocked = steps.find((step) => step.details.couldNotVerify === true) ?? required.find((step) => step.status !== "passed");
  return {
    status,
    steps,
    summary: {
      credentialId: credential?.id,
      holder: credential?.credentialSubject.identifier.find((identity) => identity.identityType === "name")?.identityHash,
      achievement: credential?.credentialSubject.achievement.name,
      issuerProfileId: credential?.issuer.id,
      // Only what the chain said: the registry's name for the issuer, when the issuer step passed.
      issuerName: issuerStepResult.status === "passed" ? (issuerStepResult.details.name as string) : undefined,
      root: credential?.proof.merkleRoot,
      leafIndex: credential?.proof.leafIndex,
    },
    ...(status === "error" ? { error: { code: "CouldNotVerify", message: blocked?.message ?? "A required step could not be completed." } } : {}),
  };
}
