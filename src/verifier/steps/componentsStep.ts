import { evaluatePathwayRule, type RuleComponent } from "../../stacking/evaluatePathwayRule.ts";
import type { ReadComponent } from "../readCredentialCore.ts";
import type { CredentialFacts, StepName, VerificationStep } from "../verificationTypes.ts";
import { anchorStep } from "./anchorStep.ts";
import { chainStep } from "./chainStep.ts";
import { inclusionStep } from "./inclusionStep.ts";
import { issuerStep } from "./issuerStep.ts";
import { couldNotVerify, failed, passed, skipped } from "./stepHelpers.ts";
import { statusStep } from "./statusStep.ts";

/** What is checked of each component, in order: the credential steps that need no file of the component itself. */
const COMPONENT_CHECKS = [chainStep, inclusionStep, anchorStep, issuerStep, statusStep] as const;

/** One component's outcome, as the step reports it. */
export type ComponentOutcome = {
  readonly id: string;
  readonly name: string;
  readonly achievement: string;
  readonly issuer: string;
  /** The registry's name for the component's issuer, once the component's issuer check passed (else null). */
  readonly issuerName: string | null;
  readonly root: string;
  readonly leafIndex: number;
  readonly status: "valid" | "invalid" | "error";
  /** The first check that did not pass, and what it said (or how the component stands, when valid). */
  readonly step: StepName | null;
  readonly message: string;
};

function checkComponent(component: ReadComponent, facts: CredentialFacts): ComponentOutcome {
  const { evidence } = component;
  let base = { id: evidence.id, name: evidence.name, achievement: evidence.achievement, issuer: evidence.anchor.issuer, issuerName: null as string | null, root: evidence.merkleRoot, leafIndex: evidence.leafIndex };
  if (component.hashes === undefined) return { ...base, status: "invalid", step: "inclusion", message: `Its leaf could not be computed from its entry: ${component.hashError ?? "unknown error"}.` };
  let last: VerificationStep | undefined;
  for (const check of COMPONENT_CHECKS) {
    let step: VerificationStep;
    try {
      step = check(facts);
    } catch (error) {
      // An exception is a failure of that check, never a pass.
      return { ...base, status: "invalid", step: null, message: `A check could not be completed: ${error instanceof Error ? error.message : String(error)}.` };
    }
    if (step.status !== "passed") return { ...base, status: step.status === "failed" ? "invalid" : "error", step: step.name, message: step.message };
    // Only what the chain said: the registry's name for the issuer, once its issuer check passed.
    if (step.name === "issuer" && typeof step.details.name === "string") base = { ...base, issuerName: step.details.name };
    last = step;
  }
  return { ...base, status: "valid", step: null, message: last!.message };
}

/**
 * Stacked credentials (docs/stacking.md): every component the credential names is, at the moment checked, anchored
 * in a trusted registry by an accredited issuer bound to the profile the entry names, included in its batch, neither
 * revoked nor suspended, nor its batch revoked (the credential steps chain, inclusion, anchor, issuer and status, run
 * on the component's entry); and the pathway's rule holds over them. Not a stacked credential: skipped, not required.
 */
export function componentsStep(facts: CredentialFacts): VerificationStep {
  const stacked = facts.stacked;
  if (stacked === undefined) return skipped("components", "Not a stacked credential: it names no components.", { stacked: false });
  const componentFacts = facts.componentFacts;
  if (componentFacts === undefined || componentFacts.length !== stacked.components.length) return couldNotVerify("components", "the components' chain facts were not gathered.");
  const outcomes = stacked.components.map((component, index) => checkComponent(component, componentFacts[index]!));
  const details = { pathway: stacked.pathway.id, components: outcomes };
  const invalid = outcomes.filter((outcome) => outcome.status === "invalid");
  if (invalid.length > 0) {
    const named = invalid.map((outcome) => `${outcome.name} (${outcome.id}): ${outcome.step === null ? "" : `${outcome.step}: `}${outcome.message}`);
    return failed("components", `${invalid.length} of ${outcomes.length} components ${invalid.length === 1 ? "is" : "are"} not valid: ${named.join(" ")}`, details);
  }
  const unverified = outcomes.find((outcome) => outcome.status === "error");
  if (unverified !== undefined) return { ...couldNotVerify("components", `component ${unverified.name} (${unverified.id}): ${unverified.message}`), details: { ...details, couldNotVerify: true, reason: unverified.message } };
  const ruleComponents: RuleComponent[] = stacked.components.map(({ evidence }) => ({ id: evidence.id, name: evidence.name, achievement: evidence.achievement, issuer: evidence.anchor.issuer, credits: evidence.creditsAvailable, eqfLevel: evidence.eqfLevel }));
  const rule = evaluatePathwayRule(stacked.pathway, ruleComponents);
  const ruleDetails = { ...details, counted: rule.counted.map((component) => component.id), credits: rule.credits, required: stacked.pathway.required };
  if (!rule.satisfied) return failed("components", `The pathway ${stacked.pathway.id} does not hold: ${rule.shortfalls.join("; ")}.`, ruleDetails);
  const credits = stacked.pathway.minCredits === undefined ? "" : `, ${rule.credits} ECTS (at least ${stacked.pathway.minCredits})`;
  return passed("components", `All ${outcomes.length} components valid; pathway ${stacked.pathway.id} holds: ${rule.counted.length} of ${stacked.pathway.components.length} counted (${stacked.pathway.required} required)${credits}.`, ruleDetails);
}
