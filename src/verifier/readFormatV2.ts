import { checkInclusionV2 } from "../batch/checkInclusionV2.ts";
import type { Credential } from "../credential/credentialSchema.ts";
import { shapeProblems } from "../credential/validateCredential.ts";
import { credentialSchemaV2, type CredentialV2 } from "../credential/v2/credentialSchemaV2.ts";
import { signingKeyIdOf } from "../credential/v2/signingKeyIdOf.ts";
import type { Problem } from "../errors/credentialErrors.ts";
import { dedupeProblems, type FormatV2Input, type ReadCredential } from "./readCredentialCore.ts";

/**
 * What the shared steps read of a format v2 credential: the issuer's accredited profile (its `url`) as `issuer.id`,
 * and the anchor proof as `proof`. The signed document itself is kept beside it for the signature step.
 */
function anchoredViewOf(document: CredentialV2): Credential {
  return { ...document, issuer: { id: document.issuer.url, type: ["Profile"], name: document.issuer.name }, proof: document.proof[1] } as unknown as Credential;
}

/**
 * Validates and hashes a format v2 document found by readCredentialCore (its proofs are an array); never throws:
 * every failure is a format problem or a hash error. Its own module: the v2 schema and its key decoding (ethers) load
 * only when a v2 file is met.
 */
export function readFormatV2({ value, parsedProblems }: FormatV2Input): ReadCredential {
  let problems: readonly Problem[];
  try {
    problems = dedupeProblems([...parsedProblems, ...shapeProblems(credentialSchemaV2, value)]);
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
