import { hashEmailIdentity } from "../credential/hashEmailIdentity.ts";
import { EQF_LEVEL_URL } from "../credential/v2/credentialSchemaV2.ts";
import { PortfolioInvariantError } from "../errors/portfolioErrors.ts";
import { componentClaimsOf } from "../stacking/componentEvidenceOf.ts";
import { evaluatePathwayRule, type RuleComponent } from "../stacking/evaluatePathwayRule.ts";
import type { Pathway } from "../stacking/pathwayFromValue.ts";
import type { ReadCredential } from "../verifier/readCredentialCore.ts";
import type { StepName, VerificationResult } from "../verifier/verificationTypes.ts";

/** The `format` of a portfolio summary (what `credreg verify --portfolio --json` and `POST /v1/portfolios` give). */
export const PORTFOLIO_FORMAT = "credreg-portfolio-v1";

/** One credential of a portfolio, in input order: where it came from, its verification, and what the verifier read. */
export type PortfolioEntry = {
  /** A file name, `(stdin)`, or `credentials[3]` for an API request. */
  readonly source: string;
  readonly result: VerificationResult;
  /** What was read (needed for every valid credential; may be left out of the others). */
  readonly read: ReadCredential | undefined;
};

export type PortfolioOptions = {
  /** The candidate's name (else: the holder of the most valid credentials, the first in input order on a tie). */
  readonly holderName?: string | undefined;
  /** The candidate's e-mail address: a valid credential counts only if its salted e-mail hash is this address's. */
  readonly holderEmail?: string | undefined;
  /** Pathways to report progress on (`readPathway`, `pathwayFromValue`), in the order given. */
  readonly pathways?: readonly Pathway[] | undefined;
};

/** A credential counted for the candidate. */
export type CountedCredential = {
  readonly source: string;
  readonly credentialId: string;
  readonly achievement: string;
  readonly name: string;
  /** The issuer as the registry names it (the verifier's issuer step). */
  readonly issuer: string | null;
  /** The address that anchored it. */
  readonly anchoredBy: string;
  /** A stacked credential (a qualification whose components it names and the verifier checked). */
  readonly qualification: boolean;
};

/** A skill (an alignment other than the EQF level), once per `targetUrl`, with the credentials that state it. */
export type PortfolioSkill = { readonly targetUrl: string; readonly targetName: string; readonly targetFramework: string | null; readonly credentials: readonly string[] };

/** An achievement the candidate holds, once per achievement id: directly, or as a component of a qualification held. */
export type PortfolioAchievement = {
  readonly id: string;
  readonly name: string;
  readonly credits: number | null;
  readonly eqfLevel: number | null;
  /** The credentials (ids) attesting it: held, or named as a component by a qualification held. */
  readonly credentials: readonly string[];
  /** The qualifications (their credential ids) that name it as a component. */
  readonly inQualifications: readonly string[];
};

/** A valid stacked credential of the candidate. */
export type PortfolioQualification = {
  readonly source: string;
  readonly credentialId: string;
  readonly achievement: string;
  readonly name: string;
  readonly credits: number | null;
  readonly eqfLevel: number | null;
  readonly issuer: string | null;
  /** The pathway's id (its rule is in the credential, and the verifier checked it). */
  readonly pathway: string;
  readonly components: readonly { readonly credentialId: string; readonly achievement: string; readonly name: string }[];
};

/** A component the candidate holds towards a pathway. */
export type HeldComponent = { readonly achievement: string; readonly name: string; readonly credentialId: string; readonly issuer: string; readonly credits: number | null; readonly eqfLevel: number | null };

/** Where the candidate stands on one pathway. */
export type PathwayProgress = {
  readonly id: string;
  /** The qualification's name and achievement id. */
  readonly name: string;
  readonly qualification: string;
  readonly required: number;
  readonly minCredits: number | null;
  readonly minEqfLevel: number | null;
  /** The ECTS credits of the components that count. */
  readonly credits: number;
  /** Components held that count towards the rule (each of its entries at most once). */
  readonly held: readonly HeldComponent[];
  /** Components held that match an entry but are below the rule's minimum EQF level. */
  readonly belowLevel: readonly HeldComponent[];
  /** The rule's entries no component held counts for (any of them may make up what is missing). */
  readonly missing: readonly { readonly achievement: string; readonly issuer: string | null }[];
  /** What is missing, one sentence each (empty when the rule holds). */
  readonly shortfalls: readonly string[];
  /** The candidate's valid stacked credential for this pathway, when there is one. */
  readonly stackedAs: string | null;
};

/** A valid credential that is not the candidate's. */
export type OtherHolderCredential = {
  readonly source: string;
  readonly credentialId: string;
  readonly holder: string | null;
  readonly achievement: string;
  readonly step: "holder";
  readonly message: string;
};

/** A credential that is not valid, or could not be verified: its first failing (or unverifiable) step. */
export type InvalidCredential = {
  readonly source: string;
  readonly credentialId: string | null;
  readonly holder: string | null;
  readonly achievement: string | null;
  readonly status: "invalid" | "error";
  readonly step: StepName | null;
  readonly message: string;
};

/** What a candidate's credentials prove, for an employer (JSON-able, as printed by `--json` and the API). */
export type Portfolio = {
  readonly format: typeof PORTFOLIO_FORMAT;
  readonly holder: {
    /** The candidate's name as the credentials write it (null when no valid credential names a holder). */
    readonly name: string | null;
    readonly chosenBy: "holder-name" | "largest-group" | "none";
    /** Whether an e-mail address was compared with each credential's hashed e-mail. */
    readonly emailChecked: boolean;
  };
  readonly counts: { readonly total: number; readonly valid: number; readonly counted: number; readonly otherHolder: number; readonly invalid: number; readonly couldNotVerify: number };
  /** The holders of the valid credentials (after the e-mail check), largest group first (ties in input order). */
  readonly holders: readonly { readonly name: string | null; readonly credentials: number }[];
  readonly skills: readonly PortfolioSkill[];
  /** ECTS credits over {@link achievements}: each achievement once; a qualification's own credits are its components'. */
  readonly totalCredits: number;
  /** The highest EQF level of the achievements and qualifications held (null when none states one). */
  readonly highestEqfLevel: number | null;
  readonly achievements: readonly PortfolioAchievement[];
  readonly qualifications: readonly PortfolioQualification[];
  /** Progress on each pathway given, by where the candidate stands; null when no pathway was given. */
  readonly pathways: {
    /** A valid stacked credential for the pathway is in the portfolio. */
    readonly completed: readonly PathwayProgress[];
    /** The rule holds over the credentials held, but no stacked credential for it is in the portfolio. */
    readonly readyToStack: readonly PathwayProgress[];
    /** At least one component counts, and the rule does not hold yet. */
    readonly nearlyCompleted: readonly PathwayProgress[];
    readonly notStarted: readonly PathwayProgress[];
  } | null;
  readonly credentials: readonly CountedCredential[];
  readonly otherHolders: readonly OtherHolderCredential[];
  readonly invalid: readonly InvalidCredential[];
};

type Identifier = { readonly identityType: string; readonly identityHash: string; readonly salt?: string };
type AlignmentEntry = { readonly targetUrl: string; readonly targetName: string; readonly targetFramework?: string | undefined };

/** A holder's name as grouped: Unicode NFC, spaces collapsed, case ignored (the name as written is kept for display). */
export const holderKeyOf = (name: string) => name.normalize("NFC").trim().replace(/\s+/gu, " ").toLowerCase();

const identifiersOf = (read: ReadCredential) => read.credential!.credentialSubject.identifier as readonly Identifier[];
const nameOf = (read: ReadCredential) => identifiersOf(read).find((identity) => identity.identityType === "name")?.identityHash;
const round = (value: number) => Math.round(value * 1_000) / 1_000;

/** The first step that failed, else the first that could not be verified (as `credreg verify` names it). */
function failingStep(result: VerificationResult) {
  return result.steps.find((step) => step.status === "failed") ?? result.steps.find((step) => step.details.couldNotVerify === true) ?? result.steps.find((step) => step.status !== "passed");
}

function invalidOf({ source, result }: PortfolioEntry): InvalidCredential {
  const step = failingStep(result);
  return {
    source,
    credentialId: result.summary.credentialId ?? null,
    holder: result.summary.holder ?? null,
    achievement: result.summary.achievement ?? null,
    status: result.status === "error" ? "error" : "invalid",
    step: step?.name ?? null,
    message: step?.message ?? result.error?.message ?? "Not valid.",
  };
}

/** A valid credential, read. */
type Held = { readonly index: number; readonly entry: PortfolioEntry; readonly read: ReadCredential; readonly name: string | undefined; readonly key: string | null };

/** Whether each valid credential was issued to `email` (its salted e-mail hash), and why not. */
function emailVerdict(held: Held, email: string): string | undefined {
  const identity = identifiersOf(held.read).find((entry) => entry.identityType === "emailAddress");
  if (identity === undefined || identity.salt === undefined) return `Holds no hashed e-mail address to compare with ${email}.`;
  return hashEmailIdentity(email, identity.salt) === identity.identityHash ? undefined : `Not issued to ${email}.`;
}

/** The holders' groups among `held`, by name key, largest first (ties: the group met first in input order). */
function groupsOf(held: readonly Held[]): { key: string | null; name: string | null; members: Held[] }[] {
  const groups = new Map<string | null, { key: string | null; name: string | null; members: Held[] }>();
  for (const entry of held) {
    const group = groups.get(entry.key) ?? { key: entry.key, name: entry.name ?? null, members: [] };
    group.members.push(entry);
    groups.set(entry.key, group);
  }
  // Array.prototype.sort is stable: equal sizes keep the order the groups were met in.
  return [...groups.values()].sort((a, b) => b.members.length - a.members.length);
}

/** The pathway's progress over the candidate's components (and stacked credentials). */
function progressOf(pathway: Pathway, components: readonly RuleComponent[], qualifications: readonly PortfolioQualification[]): PathwayProgress {
  const { rule, qualification } = pathway;
  const outcome = evaluatePathwayRule(rule, components);
  const heldOf = (component: RuleComponent): HeldComponent => ({
    achievement: component.achievement,
    name: component.name,
    credentialId: component.id,
    issuer: component.issuer,
    credits: component.credits ?? null,
    eqfLevel: component.eqfLevel ?? null,
  });
  const counted = new Set(outcome.counted.map((component) => component.achievement));
  return {
    id: rule.id,
    name: qualification.name,
    qualification: qualification.id,
    required: rule.required,
    minCredits: rule.minCredits ?? null,
    minEqfLevel: rule.minEqfLevel ?? null,
    credits: round(outcome.credits),
    held: outcome.counted.map(heldOf),
    belowLevel: outcome.belowLevel.map(heldOf),
    missing: rule.components.filter((entry) => !counted.has(entry.achievement)).map((entry) => ({ achievement: entry.achievement, issuer: entry.issuer ?? null })),
    shortfalls: outcome.shortfalls,
    stackedAs: qualifications.find((held) => held.pathway === rule.id)?.credentialId ?? null,
  };
}

/**
 * What a candidate's credentials prove (docs/verifier.md, "Portfolios"), from each credential's verification in
 * input order. Only valid credentials count, and only the candidate's: the holder named by `holderName`, else the
 * name that holds the most valid credentials (the first met on a tie), names compared after Unicode NFC, collapsing
 * spaces and ignoring case; with `holderEmail`, a credential whose salted e-mail hash is not that address's (or that
 * has none) is another holder's, and one that names no holder counts when its e-mail matches. For the candidate:
 * skills (alignments but the EQF level, once per `targetUrl`), achievements (once per id, a qualification's
 * components included), total ECTS credits over those achievements (a qualification adds its components, not its
 * own credits, which are made of them), the highest EQF level, the qualifications (valid stacked credentials), and
 * each pathway's progress. Other holders' valid credentials, and credentials not valid or not verified, are listed
 * apart with the step and message that set them apart. Pure: no I/O.
 */
export function summarisePortfolio(entries: readonly PortfolioEntry[], options: PortfolioOptions = {}): Portfolio {
  const invalid: InvalidCredential[] = [];
  const valid: Held[] = [];
  entries.forEach((entry, index) => {
    if (entry.result.status !== "valid") {
      invalid.push(invalidOf(entry));
      return;
    }
    const read = entry.read;
    if (read?.credential === undefined) throw new PortfolioInvariantError(`The valid credential ${entry.source} was given without what the verifier read of it.`);
    const name = nameOf(read);
    valid.push({ index, entry, read, name, key: name === undefined ? null : holderKeyOf(name) });
  });

  const { holderName } = options;
  const holderEmail = options.holderEmail?.trim();
  const setApart = new Map<number, string>();
  const matching = holderEmail === undefined ? valid : valid.filter((held) => {
    const reason = emailVerdict(held, holderEmail);
    if (reason !== undefined) setApart.set(held.index, reason);
    return reason === undefined;
  });
  const groups = groupsOf(matching);
  const named = groups.filter((group) => group.key !== null);
  const chosenKey = holderName !== undefined ? holderKeyOf(holderName) : named[0]?.key;
  const chosenBy = holderName !== undefined ? "holder-name" : chosenKey === undefined ? "none" : "largest-group";
  const candidateName = named.find((group) => group.key === chosenKey)?.name ?? holderName ?? null;
  const mine: Held[] = [];
  for (const held of matching) {
    // A credential naming no holder is the candidate's only when the e-mail address given confirms it.
    if (held.key === null ? holderEmail !== undefined : held.key === chosenKey) mine.push(held);
    else if (held.key === null) setApart.set(held.index, "Names no holder (only a hashed e-mail address): give the candidate's e-mail address to count it.");
    else setApart.set(held.index, candidateName === null ? `Held by ${held.name}.` : `Held by ${held.name}, not ${candidateName}.`);
  }
  const otherHolders: OtherHolderCredential[] = valid
    .filter((held) => setApart.has(held.index))
    .map((held) => ({ source: held.entry.source, credentialId: held.read.credential!.id, holder: held.name ?? null, achievement: componentClaimsOf(held.read).name, step: "holder", message: setApart.get(held.index)! }));

  const credentials: CountedCredential[] = [];
  const skills = new Map<string, { targetUrl: string; targetName: string; targetFramework: string | null; credentials: string[] }>();
  const achievements = new Map<string, { id: string; name: string; credits: number | null; eqfLevel: number | null; credentials: string[]; inQualifications: string[] }>();
  const qualifications: PortfolioQualification[] = [];
  const ruleComponents = new Map<string, RuleComponent>();
  const addOnce = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  for (const { entry, read } of mine) {
    const credential = read.credential!;
    const claims = componentClaimsOf(read);
    const issuer = entry.result.summary.issuerName ?? null;
    const anchoredBy = credential.proof.anchor.issuer;
    credentials.push({ source: entry.source, credentialId: credential.id, achievement: claims.achievement, name: claims.name, issuer, anchoredBy, qualification: read.stacked !== undefined });
    const alignment = (credential.credentialSubject.achievement as { alignment?: readonly AlignmentEntry[] }).alignment ?? [];
    for (const skill of alignment) {
      if (EQF_LEVEL_URL.test(skill.targetUrl)) continue;
      const known = skills.get(skill.targetUrl) ?? { targetUrl: skill.targetUrl, targetName: skill.targetName, targetFramework: skill.targetFramework ?? null, credentials: [] };
      addOnce(known.credentials, credential.id);
      skills.set(skill.targetUrl, known);
    }
    if (read.stacked !== undefined) {
      qualifications.push({
        source: entry.source,
        credentialId: credential.id,
        achievement: claims.achievement,
        name: claims.name,
        credits: claims.credits ?? null,
        eqfLevel: claims.eqfLevel ?? null,
        issuer,
        pathway: read.stacked.pathway.id,
        components: read.stacked.components.map(({ evidence }) => ({ credentialId: evidence.id, achievement: evidence.achievement, name: evidence.name })),
      });
      continue;
    }
    const known = achievements.get(claims.achievement) ?? { id: claims.achievement, name: claims.name, credits: claims.credits ?? null, eqfLevel: claims.eqfLevel ?? null, credentials: [], inQualifications: [] };
    addOnce(known.credentials, credential.id);
    achievements.set(claims.achievement, known);
    if (!ruleComponents.has(credential.id)) ruleComponents.set(credential.id, { id: credential.id, name: claims.name, achievement: claims.achievement, issuer: anchoredBy, credits: claims.credits, eqfLevel: claims.eqfLevel });
  }
  // A qualification's components (checked valid by the verifier's components step) are held too; a component's own
  // file, when in the portfolio, was counted first.
  for (const { read } of mine) {
    for (const { evidence } of read.stacked?.components ?? []) {
      const known = achievements.get(evidence.achievement) ?? { id: evidence.achievement, name: evidence.name, credits: evidence.creditsAvailable ?? null, eqfLevel: evidence.eqfLevel ?? null, credentials: [], inQualifications: [] };
      addOnce(known.credentials, evidence.id);
      addOnce(known.inQualifications, read.credential!.id);
      achievements.set(evidence.achievement, known);
      if (!ruleComponents.has(evidence.id)) ruleComponents.set(evidence.id, { id: evidence.id, name: evidence.name, achievement: evidence.achievement, issuer: evidence.anchor.issuer, credits: evidence.creditsAvailable, eqfLevel: evidence.eqfLevel });
    }
  }

  const levels = [...[...achievements.values()].map((achievement) => achievement.eqfLevel), ...qualifications.map((qualification) => qualification.eqfLevel)].filter((level): level is number => level !== null);
  let pathways: Portfolio["pathways"] = null;
  if (options.pathways !== undefined) {
    const progress = options.pathways.map((pathway) => progressOf(pathway, [...ruleComponents.values()], qualifications));
    pathways = {
      completed: progress.filter((entry) => entry.stackedAs !== null),
      readyToStack: progress.filter((entry) => entry.stackedAs === null && entry.shortfalls.length === 0),
      nearlyCompleted: progress.filter((entry) => entry.stackedAs === null && entry.shortfalls.length > 0 && entry.held.length > 0),
      notStarted: progress.filter((entry) => entry.stackedAs === null && entry.shortfalls.length > 0 && entry.held.length === 0),
    };
  }
  const couldNotVerify = invalid.filter((entry) => entry.status === "error").length;
  return {
    format: PORTFOLIO_FORMAT,
    holder: { name: candidateName, chosenBy, emailChecked: holderEmail !== undefined },
    counts: { total: entries.length, valid: valid.length, counted: mine.length, otherHolder: otherHolders.length, invalid: invalid.length - couldNotVerify, couldNotVerify },
    holders: groups.map((group) => ({ name: group.name, credentials: group.members.length })),
    skills: [...skills.values()],
    totalCredits: round([...achievements.values()].reduce((sum, achievement) => sum + (achievement.credits ?? 0), 0)),
    highestEqfLevel: levels.length === 0 ? null : Math.max(...levels),
    achievements: [...achievements.values()],
    qualifications,
    pathways,
    credentials,
    otherHolders,
    invalid,
  };
}
