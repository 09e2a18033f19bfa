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
};

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
  };
}
