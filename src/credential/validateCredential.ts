import type { z } from "zod";
import type { Problem } from "../errors/credentialErrors.ts";
import { compileSchemaCheck } from "./compileSchemaCheck.ts";
import { type Credential, credentialSchema, type UnsignedCredential, unsignedCredentialSchema } from "./credentialSchema.ts";
import { formatJsonPath } from "./formatJsonPath.ts";
import { iJsonProblems } from "./parseJsonText.ts";

/** The outcome of a validation: the value (typed), or every problem with its JSON path. */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly Problem[] };

/**
 * Runs `schema` and turns its issues into problems with JSON paths; values that are not I-JSON (lone surrogates,
 * unsafe integers: they cannot be hashed the same way by everyone) are problems too.
 */
export function validateWith<T>(schema: z.ZodType, value: unknown): Validation<T> {
  const schemaProblems = shapeProblems(schema, value);
  // One problem per value: where the schema already objects, the I-JSON finding adds nothing.
  const flagged = new Set(schemaProblems.map((problem) => problem.path));
  const problems = [...iJsonProblems(value).filter((problem) => !flagged.has(problem.path)), ...schemaProblems];
  return problems.length === 0 ? { ok: true, value: value as T } : { ok: false, problems };
}

/** Only what `schema` objects to, with JSON paths: for values whose I-JSON problems are already known. */
export function shapeProblems(schema: z.ZodType, value: unknown): Problem[] {
  // The schema's fast yes/no form first (most values are valid); zod itself says what is wrong.
  if (compileSchemaCheck(schema)?.(value) === true) return [];
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message }));
}

/**
 * Checks that `value` is a credential file of our format (W3C VC 2.0 / Open Badges 3.0 shape, status entries,
 * proof fields). Never throws for invalid input; the value is returned as given (validation transforms nothing).
 */
export function validateCredential(value: unknown): Validation<Credential> {
  return validateWith<Credential>(credentialSchema, value);
}

/** Checks that `value` is an unsigned credential (a credential before anchoring, without `proof`). */
export function validateUnsignedCredential(value: unknown): Validation<UnsignedCredential> {
  return validateWith<UnsignedCredential>(unsignedCredentialSchema, value);
}
