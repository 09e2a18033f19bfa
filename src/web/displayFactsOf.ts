import { evaluatePathwayRule, type RuleComponent } from "../stacking/evaluatePathwayRule.ts";
import type { PathwayRule } from "../credential/v2/pathwayRuleSchema.ts";
import type { VerificationResult, VerificationStep } from "../verifier/verificationTypes.ts";

/** A badge image the pages may show: a `data:` URL of a PNG or an SVG, nothing that loads from anywhere. */
export type DisplayImage = { readonly mediaType: "image/png" | "image/svg+xml"; readonly dataUrl: string; readonly caption: string | undefined };

/**
 * What the verify page (and a share link's preview) shows of a credential, format 1 or 2. For display only: the
 * verdict never depends on it. The issuer is the registry's name for it, and only when the issuer step passed.
 */
export type DisplayFacts = {
  readonly holder: string | undefined;
  readonly achievement: string | undefined;
  readonly description: string | undefined;
  /** The registry's name for the issuer, or why it is not shown. */
  readonly issuer: string;
  /** Whether {@link DisplayFacts.issuer} is the chain's name (the issuer step passed). */
  readonly issuerConfirmed: boolean;
  /** The credential's `validFrom`, as given. */
  readonly validFrom: string | undefined;
  readonly validUntil: string | undefined;
  readonly credentialId: string | undefined;
  /** ECTS credits: `creditsAvailable` (format 2) or `workload.ectsCredits` (format 1). */
  readonly credits: number | undefined;
  /** Hours of learning: `volumeOfLearning` (format 2, an ISO 8601 duration in hours) or `workload.hours` (format 1). */
  readonly hours: number | undefined;
  /** EQF level 1–8: the EQF alignment (format 2) or `eqfLevel` (format 1). */
  readonly eqfLevel: number | undefined;
  /** The skills the achievement aligns to (their names), the EQF alignment excluded. */
  readonly skills: readonly string[];
  readonly image: DisplayImage | undefined;
  /** A stacked credential (docs/stacking.md): its components, each with its verdict, and the pathway's rule. */
  readonly stack: DisplayStack | undefined;
};

/**
 * One component of a stacked credential as the verify page lists it: what the components step found of it, or
 * `unchecked` when the step did not run (a step it needs failed).
 */
export type DisplayComponent = {
  readonly id: string;
  readonly name: string;
  /** The registry's name for the anchoring issuer when the verification confirmed it, else its address. */
  readonly issuer: string;
  readonly status: "valid" | "invalid" | "error" | "unchecked";
  /** The first check that did not pass and what it said, or how the component stands when valid. */
  readonly message: string;
};

export type DisplayStack = {
  /** The pathway's id (its stable URL). */
  readonly pathway: string;
  /** e.g. "3 of 4 counted, 3 required, 14 ECTS of at least 13, each at EQF level 5 or above: the rule holds". */
  readonly summary: string;
  readonly components: readonly DisplayComponent[];
};

/** The word for a component's verdict, as the page shows it. */
export const COMPONENT_VERDICT: Readonly<Record<DisplayComponent["status"], string>> = { valid: "valid", invalid: "NOT VALID", error: "could not verify", unchecked: "not checked" };

/** What "Issuer (on chain)" says when the chain's issuer record was not read, or did not check out. */
export const ISSUER_NOT_READ = "not read from the chain";
export const ISSUER_NOT_CONFIRMED = "not confirmed by the chain (see the issuer step)";

/** A badge image larger than this (as a data: URL) is not shown: the issuer's limit is 256 KiB of image. */
const MAX_IMAGE_URL_LENGTH = 360_000;
const IMAGE_URL = /^data:(image\/png|image\/svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;
const EQF_URL = /^https?:\/\/data\.europa\.eu\/snb\/eqf\/([1-8])$/;
const HOURS = /^PT(\d+(?:\.\d+)?)H$/;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const count = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined);

function onChainIssuer(step: VerificationStep | undefined): { issuer: string; issuerConfirmed: boolean } {
  if (step?.status === "passed" && typeof step.details.name === "string") return { issuer: step.details.name, issuerConfirmed: true };
  return { issuer: step?.status === "failed" ? ISSUER_NOT_CONFIRMED : ISSUER_NOT_READ, issuerConfirmed: false };
}

function imageOf(achievement: Json): DisplayImage | undefined {
  const image = achievement.image;
  const url = typeof image === "string" ? image : isRecord(image) ? image.id : undefined;
  if (typeof url !== "string" || url.length > MAX_IMAGE_URL_LENGTH) return undefined;
  const match = IMAGE_URL.exec(url);
  if (match === null) return undefined;
  return { mediaType: match[1] as DisplayImage["mediaType"], dataUrl: url, caption: isRecord(image) ? text(image.caption) : undefined };
}

const sameAddress = (a: unknown, b: unknown) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/** The rule's numbers: "3 of 4 counted, 3 required, 14 ECTS of at least 13, each at EQF level 5 or above". */
function ruleSummary(rule: PathwayRule, counted: number, credits: number): string {
  const ects = rule.minCredits === undefined ? (credits > 0 ? `, ${credits} ECTS` : "") : `, ${credits} ECTS of at least ${rule.minCredits}`;
  const level = rule.minEqfLevel === undefined ? "" : `, each at EQF level ${rule.minEqfLevel} or above`;
  return `${counted} of ${rule.components.length} counted, ${rule.required} required${ects}${level}`;
}

/**
 * A stacked credential's components and rule, for display: the components step's outcome for each (its `details`),
 * the issuer named when the verification read its name (the stacking issuer's, from the issuer step), and the
 * rule's count as the step made it; when a component is not valid (or could not be verified) the step does not count,
 * and the count shown is over the valid components only (the verdict is not valid whatever that count). The file
 * gives the rule and, when the step did not run, the component entries.
 */
function stackOf(achievement: Json, evidence: unknown, step: VerificationStep | undefined, issuerStep: VerificationStep | undefined): DisplayStack | undefined {
  const rule = achievement.pathway as PathwayRule | undefined;
  if (!isRecord(rule) || typeof rule.id !== "string" || !Array.isArray(rule.components)) return undefined;
  const entries = (Array.isArray(evidence) ? evidence : []).filter((entry): entry is Json => isRecord(entry) && Array.isArray(entry.type) && entry.type.includes("CredregComponent2026"));
  const knownIssuer = issuerStep?.status === "passed" && typeof issuerStep.details.name === "string" ? { address: issuerStep.details.issuer, name: issuerStep.details.name } : undefined;
  const issuerOf = (address: unknown) => (knownIssuer !== undefined && sameAddress(address, knownIssuer.address) ? knownIssuer.name : String(address));
  const outcomes = Array.isArray(step?.details.components) ? (step.details.components as unknown[]).filter(isRecord) : undefined;
  if (outcomes === undefined) {
    // Not checked (the step did not run): the file's entries, none of them counted.
    const components = entries.map((entry): DisplayComponent => ({ id: String(entry.id), name: String(entry.name), issuer: issuerOf(isRecord(entry.anchor) ? entry.anchor.issuer : undefined), status: "unchecked", message: step?.message ?? "Not checked." }));
    const ects = rule.minCredits === undefined ? "" : `, at least ${rule.minCredits} ECTS`;
    return { pathway: rule.id, summary: `${rule.required} of ${rule.components.length} required${ects}: not checked`, components };
  }
  const components = outcomes.map((outcome): DisplayComponent => {
    const status = outcome.status === "valid" || outcome.status === "invalid" ? outcome.status : "error";
    const message = String(outcome.message ?? "");
    return { id: String(outcome.id), name: String(outcome.name), issuer: typeof outcome.issuerName === "string" ? outcome.issuerName : issuerOf(outcome.issuer), status, message: typeof outcome.step === "string" && status !== "valid" ? `${outcome.step}: ${message}` : message };
  });
  const { counted, credits } = step!.details;
  if (Array.isArray(counted) && typeof credits === "number") {
    return { pathway: rule.id, summary: `${ruleSummary(rule, counted.length, credits)}: ${step!.status === "passed" ? "the rule holds" : "the rule does not hold"}`, components };
  }
  // The step did not count (a component is not valid, or could not be verified): counted here over the valid ones.
  const valid = new Set(components.filter((component) => component.status === "valid").map((component) => component.id));
  const ruleComponents: RuleComponent[] = entries
    .filter((entry) => valid.has(String(entry.id)))
    .map((entry) => ({ id: String(entry.id), name: String(entry.name), achievement: String(entry.achievement), issuer: String(isRecord(entry.anchor) ? entry.anchor.issuer : ""), credits: count(entry.creditsAvailable), eqfLevel: count(entry.eqfLevel) }));
  const outcome = evaluatePathwayRule(rule, ruleComponents);
  return { pathway: rule.id, summary: `${ruleSummary(rule, outcome.counted.length, outcome.credits)}, counting the valid components only`, components };
}

/**
 * The facts to show of `credential` (the parsed file) after `verification`; `undefined` unless the format step passed
 * (a file that is not a credential of ours shows its verdict and steps only).
 */
export function displayFactsOf(credential: unknown, verification: VerificationResult): DisplayFacts | undefined {
  const stepNamed = (name: string) => verification.steps.find((step) => step.name === name);
  if (stepNamed("format")?.status !== "passed" || !isRecord(credential)) return undefined;
  const subject = isRecord(credential.credentialSubject) ? credential.credentialSubject : {};
  const achievement = isRecord(subject.achievement) ? subject.achievement : {};
  const workload = isRecord(achievement.workload) ? achievement.workload : {};
  const alignments = (Array.isArray(achievement.alignment) ? achievement.alignment : []).filter(isRecord);
  const eqfAlignment = alignments.find((alignment) => typeof alignment.targetUrl === "string" && EQF_URL.test(alignment.targetUrl));
  const eqfFromUrl = eqfAlignment === undefined ? undefined : Number(EQF_URL.exec(eqfAlignment.targetUrl as string)![1]);
  const hours = HOURS.exec(typeof achievement.volumeOfLearning === "string" ? achievement.volumeOfLearning : "");
  return {
    holder: verification.summary.holder,
    achievement: text(achievement.name),
    description: text(achievement.description),
    ...onChainIssuer(stepNamed("issuer")),
    validFrom: text(credential.validFrom),
    validUntil: text(credential.validUntil),
    credentialId: text(credential.id),
    credits: count(achievement.creditsAvailable) ?? count(workload.ectsCredits),
    hours: hours === null ? count(workload.hours) : Number(hours[1]),
    eqfLevel: eqfFromUrl ?? count(achievement.eqfLevel),
    skills: alignments.filter((alignment) => alignment !== eqfAlignment).flatMap((alignment) => text(alignment.targetName) ?? []),
    image: imageOf(achievement),
    stack: stackOf(achievement, credential.evidence, stepNamed("components"), stepNamed("issuer")),
  };
}
