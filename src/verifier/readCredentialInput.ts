import { type InclusionCheck, checkInclusion } from "../batch/checkInclusion.ts";
import { type Credential, credentialSchema } from "../credential/credentialSchema.ts";
import { JsonSyntaxProblem, ParsedJson, parseJsonText } from "../credential/parseJsonText.ts";
import { shapeProblems, type Validation, validateCredential } from "../credential/validateCredential.ts";
import type { Problem } from "../errors/credentialErrors.ts";
import type { ChainQuery } from "./gatherChainFacts.ts";
import { checkInclusionV2 } from "../batch/checkInclusionV2.ts";
import { credentialSchemaV2, type CredentialV2 } from "../credential/v2/credentialSchemaV2.ts";
import { signingKeyIdOf } from "../credential/v2/signingKeyIdOf.ts";

/** A credential as the verifier reads it: the checked value (when its format passed) and its recomputed hashes. */
export type ReadCredential = {
  readonly credential: Credential | undefined;
  readonly formatProblems: readonly Problem[];
  readonly hashes: InclusionCheck | undefined;
  readonly hashError: string | undefined;
  /** Format v2: the signed document as read (its signature is checked by checkSignatureV2) and its key. */
  readonly signed?: { readonly document: CredentialV2; readonly keyId: string } | undefined;
};

/**
 * What the shared steps read of a format v2 credential: the issuer's accredited profile (its `url`) as `issuer.id`,
 * and the anchor proof as `proof`. The signed document itself is kept beside it for the signature step.
 */
function anchoredViewOf(document: CredentialV2): Credential {
  return { ...document, issuer: { id: document.issuer.url, type: ["Profile"], name: document.issuer.name }, proof: document.proof[1] } as unknown as Credential;
}

/** A format v2 file: its proofs are an array (v1's proof is one object). */
const isFormatV2 = (value: unknown) => Array.isArray((value as { proof?: unknown } | null)?.proof);

function readV2(value: unknown, parsedProblems: readonly Problem[]): ReadCredential {
  let problems: readonly Problem[];
  try {
    problems = dedupe([...parsedProblems, ...shapeProblems(credentialSchemaV2, value)]);
  } catch (error) {
    problems = [{ path: "$", message: `could not be validated: ${error instanceof Error ? error.message : String(error)}` }];
  }
  if (problems.length > 0) return { credential: undefined, formatProblems: problems, hashes: undefined, hashError: undefined };
  const document = value as CredentialV2;
  const signed = { document, keyId: signingKeyIdOf(document.issuer.id)! };
  try {
    return { credential: anchoredViewOf(document), formatProblems: [], hashes: checkInclusionV2(value as Record<string, unknown>), hashError: undefined, signed };
  } catch (error) {
    return { credential: anchoredViewOf(document), formatProblems: [], hashes: undefined, hashError: error instanceof Error ? error.message : String(error), signed };
  }
}

/**
 * What the verifier accepts as one credential: JSON text (a string, or UTF-8 bytes), read strictly (duplicate member
 * names and lone surrogates are format problems); a {@link ParsedJson} from {@link parseJsonText}; or an already
 * parsed value (then only what parsing left visible can be checked: prefer text).
 */
export type CredentialInput = string | Uint8Array | ParsedJson | unknown;

const validationProblems = (validation: Validation<Credential>) => (validation.ok ? [] : validation.problems);

const dedupe = (problems: readonly Problem[]) => [...new Map(problems.map((problem) => [`${problem.path}\u0000${problem.message}`, problem])).values()];

/** Parses (strictly), validates and hashes one input; never throws: every failure is a format problem or a hash error. */
export function readCredentialInput(input: CredentialInput): ReadCredential {
  const parsed = input instanceof ParsedJson || typeof input === "string" || input instanceof Uint8Array ? (input instanceof ParsedJson ? input : parseJsonText(input)) : undefined;
  if (parsed instanceof JsonSyntaxProblem) return { credential: undefined, formatProblems: [{ path: "$", message: parsed.message }], hashes: undefined, hashError: undefined };
  const value = parsed === undefined ? input : parsed.value;
  if (isFormatV2(value)) return readV2(value, parsed?.problems ?? []);
  let problems: readonly Problem[];
  try {
    // Text was read strictly: its I-JSON problems are known already, and only the shape is left to check.
    problems = parsed === undefined ? validationProblems(validateCredential(value)) : dedupe([...parsed.problems, ...shapeProblems(credentialSchema, value)]);
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
 * The chain's questions for what was read: one per credential whose format passed, by its position. Only the proof
 * is asked about (and it is all that crosses from a worker thread to the thread that asks the chain).
 */
export function chainQueriesOf(read: readonly ReadCredential[], positionOf: (offset: number) => number = (offset) => offset): ChainQuery[] {
  const queries: ChainQuery[] = [];
  read.forEach((entry, offset) => {
    if (entry.credential !== undefined) {
      queries.push({ position: positionOf(offset), credential: { proof: entry.credential.proof }, hashes: entry.hashes, ...(entry.signed === undefined ? {} : { signingKey: entry.signed.keyId }) });
    }
  });
  return queries;
}
