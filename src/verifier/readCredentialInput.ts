import { type InclusionCheck, checkInclusion } from "../batch/checkInclusion.ts";
import type { Credential } from "../credential/credentialSchema.ts";
import { JsonSyntaxProblem, ParsedJson, parseJsonText } from "../credential/parseJsonText.ts";
import { validateCredential } from "../credential/validateCredential.ts";
import type { Problem } from "../errors/credentialErrors.ts";

/** A credential as the verifier reads it: the checked value (when its format passed) and its recomputed hashes. */
export type ReadCredential = {
  readonly credential: Credential | undefined;
  readonly formatProblems: readonly Problem[];
  readonly hashes: InclusionCheck | undefined;
  readonly hashError: string | undefined;
};

/**
 * What the verifier accepts as one credential: JSON text (a string, or UTF-8 bytes), read strictly (duplicate member
 * names and lone surrogates are format problems); a {@link ParsedJson} from {@link parseJsonText}; or an already
 * parsed value (then only what parsing left visible can be checked: prefer text).
 */
export type CredentialInput = string | Uint8Array | ParsedJson | unknown;

const dedupe = (problems: readonly Problem[]) => [...new Map(problems.map((problem) => [`${problem.path}\u0000${problem.message}`, problem])).values()];

/** Parses (strictly), validates and hashes one input; never throws: every failure is a format problem or a hash error. */
export function readCredentialInput(input: CredentialInput): ReadCredential {
  const parsed = input instanceof ParsedJson || typeof input === "string" || input instanceof Uint8Array ? (input instanceof ParsedJson ? input : parseJsonText(input)) : undefined;
  if (parsed instanceof JsonSyntaxProblem) return { credential: undefined, formatProblems: [{ path: "$", message: parsed.message }], hashes: undefined, hashError: undefined };
  const value = parsed === undefined ? input : parsed.value;
  let validation;
  try {
    validation = validateCredential(value);
  } catch (error) {
    validation = { ok: false as const, problems: [{ path: "$", message: `could not be validated: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const problems = dedupe([...(parsed?.problems ?? []), ...(validation.ok ? [] : validation.problems)]);
  if (!validation.ok || problems.length > 0) return { credential: undefined, formatProblems: problems, hashes: undefined, hashError: undefined };
  try {
    return { credential: validation.value, formatProblems: [], hashes: checkInclusion(validation.value), hashError: undefined };
  } catch (error) {
    return { credential: validation.value, formatProblems: [], hashes: undefined, hashError: error instanceof Error ? error.message : String(error) };
  }
}
