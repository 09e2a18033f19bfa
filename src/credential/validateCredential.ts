import type { z } from "zod";
import type { Problem } from "../errors/credentialErrors.ts";
import { type Credential, credentialSchema, type UnsignedCredential, unsignedCredentialSchema } from "./credentialSchema.ts";
import { formatJsonPath } from "./formatJsonPath.ts";

/** The outcome of a validation: the value (typed), or every problem with its JSON path. */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly Problem[] };

/** Runs `schema` and turns its issues into problems with JSON paths (under `basePath`, `$` by default). */
export function validateWith<T>(schema: z.ZodType, value: unknown): Validation<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: value as T };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({ path: formatJsonPath(issue.path), message: issue.message })),
  };
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
