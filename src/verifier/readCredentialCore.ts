import { type InclusionCheck, checkInclusion } from "../batch/checkInclusion.ts";
import { type Credential, credentialSchema } from "../credential/credentialSchema.ts";
import { JsonSyntaxProblem, ParsedJson, parseJsonText } from "../credential/parseJsonText.ts";
import { shapeProblems, type Validation, validateCredential } from "../credential/validateCredential.ts";
import type { CredentialV2 } from "../credential/v2/credentialSchemaV2.ts";
import type { Problem } from "../errors/credentialErrors.ts";
import type { ChainQuery } from "./gatherChainFacts.ts";
import type { ComponentEvidence } from "../credential/v2/componentEvidenceSchemaV2.ts";
import type { PathwayRule } from "../credential/v2/pathwayRuleSchema.ts";
import type { AnchoredCredential } from "./chainKeys.ts";
import { componentPosition } from "./componentPositions.ts";

/** A credential as the verifier reads it: the checked value (when its format passed) and its recomputed hashes. */
export type ReadCredential = {
  readonly credential: Credential | undefined;
  readonly formatProblems: readonly Problem[];
  readonly hashes: InclusionCheck | undefined;
  readonly hashError: string | undefined;
  /** Format v2: the signed document as read (its signature is checked by checkSignatureV2) and its key. */
  readonly signed?: { readonly document: CredentialV2; readonly keyId: string } | undefined;
  /** A stacked credential (format v2): its pathway rule and its components, each with its recomputed leaf. */
  readonly stacked?: StackedRead | undefined;
};

/** One component of a stacked credential: its entry, and its leaf recomputed from the entry (or why it could not be). */
export type ReadComponent = { readonly evidence: ComponentEvidence; readonly hashes: InclusionCheck | undefined; readonly hashError?: string | undefined };

/** What the components step checks of a stacked credential. */
export type StackedRead = { readonly pathway: PathwayRule; readonly components: readonly ReadComponent[] };

/** What the chain is asked about a component: its entry as an anchored credential's proof. */
export function componentAsAnchored(evidence: ComponentEvidence): AnchoredCredential {
  const { created, salt, leafIndex, merkleRoot, merkleProof, anchor } = evidence;
  return { proof: { type: "CredregComponent2026", created, salt, leafIndex, merkleRoot, merkleProof, anchor } as unknown as Credential["proof"] };
}

/**
 * What the verifier accepts as one credential: JSON text (a string, or UTF-8 bytes), read strictly (duplicate member
 * names and lone surrogates are format problems); a {@link ParsedJson} from {@link parseJsonText}; or an already
 * parsed value (then only what parsing left visible can be checked: prefer text).
 */
export type CredentialInput = string | Uint8Array | ParsedJson | unknown;

/** A format v2 document (its proofs are an array; v1's proof is one object), parsed: readFormatV2 reads the rest. */
export class FormatV2Input {
  readonly value: unknown;
  /** What strict parsing found (duplicate names, lone surrogates...). */
  readonly parsedProblems: readonly Problem[];
  constructor(value: unknown, parsedProblems: readonly Problem[]) {
    this.value = value;
    this.parsedProblems = parsedProblems;
  }
}

const isFormatV2 = (value: unknown) => Array.isArray((value as { proof?: unknown } | null)?.proof);

const validationProblems = (validation: Validation<Credential>) => (validation.ok ? [] : validation.problems);

/** The problems, each (path and message) once. */
export const dedupeProblems = (problems: readonly Problem[]) => [...new Map(problems.map((problem) => [`${problem.path}\u0000${problem.message}`, problem])).values()];

/**
 * Parses (strictly), validates and hashes one input of format v1; a format v2 input comes back parsed, as a
 * {@link FormatV2Input} for readFormatV2 (which loads the v2 schema: a caller reading only v1 files never loads it).
 * Never throws: every failure is a format problem or a hash error. `readCredentialInput` reads both formats at once.
 */
export function readCredentialCore(input: CredentialInput): ReadCredential | FormatV2Input {
  const parsed = input instanceof ParsedJson || typeof input === "string" || input instanceof Uint8Array ? (input instanceof ParsedJson ? input : parseJsonText(input)) : undefined;
  if (parsed instanceof JsonSyntaxProblem) return { credential: undefined, formatProblems: [{ path: "$", message: parsed.message }], hashes: undefined, hashError: undefined };
  const value = parsed === undefined ? input : parsed.value;
  if (isFormatV2(value)) return new FormatV2Input(value, parsed?.problems ?? []);
  let problems: readonly Problem[];
  try {
    // Text was read strictly: its I-JSON problems are known already, and only the shape is left to check.
    problems = parsed === undefined ? validationProblems(validateCredential(value)) : dedupeProblems([...parsed.problems, ...shapeProblems(credentialSchema, value)]);
  } catch (error) {
    problems = [{ path: "$", message: `could not be validated: ${error instanceof Error ? error.message : String(error)}` }];
  }
  if (problems.length > 0) return { credential: undefined, formatProblems: problems, hashes: undefined, hashError: undefined };
  const credential = value as Credential;
  try {
    return { credential, formatProblems: [], hashes: checkInclusion(credential), hashError: undefined };
  } catch (error) {
    return { credential, formatProblems: [], hashes: undefined, hashError: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The chain's questions for what was read: one per credential whose format passed, by its position, and one per
 * component of a stacked credential (by {@link componentPosition}). Only the proof is asked about (and it is all that crosses from a worker thread to the thread that asks the chain).
 */
export function chainQueriesOf(read: readonly ReadCredential[], positionOf: (offset: number) => number = (offset) => offset): ChainQuery[] {
  const queries: ChainQuery[] = [];
  read.forEach((entry, offset) => {
    if (entry.credential !== undefined) {
      const position = positionOf(offset);
      queries.push({ position, credential: { proof: entry.credential.proof }, hashes: entry.hashes, ...(entry.signed === undefined ? {} : { signingKey: entry.signed.keyId }) });
      // A stacked credential's components are asked about as credentials of their own, under reserved positions.
      entry.stacked?.components.forEach((component, index) => {
        queries.push({ position: componentPosition(position, index), credential: componentAsAnchored(component.evidence), hashes: component.hashes });
      });
    }
  });
  return queries;
}
