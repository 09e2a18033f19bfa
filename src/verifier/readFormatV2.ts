import { checkInclusionV2 } from "../batch/checkInclusionV2.ts";
import type { Credential } from "../credential/credentialSchema.ts";
import { shapeProblems } from "../credential/validateCredential.ts";
import { credentialSchemaV2, type CredentialV2 } from "../credential/v2/credentialSchemaV2.ts";
import { signingKeyIdOf } from "../credential/v2/signingKeyIdOf.ts";
import type { Problem } from "../errors/credentialErrors.ts";
import { dedupeProblems, type FormatV2Input, type ReadComponent, type ReadCredential, type StackedRead } from "./readCredentialCore.ts";
import { checkInclusionOf } from "../batch/checkInclusion.ts";
import { isComponentEvidence } from "../credential/v2/componentEvidenceSchemaV2.ts";

/**
 * What the shared steps read of a format v2 credential: the issuer's accredited profile (its `url`) as `issuer.id`,
 * and the anchor proof as `proof`. The signed document itself is kept beside it for the signature step.
 */
function anchoredViewOf(document: CredentialV2): Credential {
  return { ...document, issuer: { id: document.issuer.url, type: ["Profile"], name: document.issuer.name }, proof: document.proof[1] } as unknown as Credential;
}

/** A stacked credential's pathway and components, each component's leaf recomputed from its entry. */
function stackedOf(document: CredentialV2): StackedRead | undefined {
  const pathway = document.credentialSubject.achievement.pathway;
  if (pathway === undefined) return undefined;
  const components = (document.evidence ?? []).filter(isComponentEvidence).map((evidence): ReadComponent => {
    try {
      return { evidence, hashes: checkInclusionOf(Buffer.from(evidence.contentHash.slice(2), "hex"), evidence) };
    } catch (error) {
      return { evidence, hashes: undefined, hashError: error instanceof Error ? error.message : String(error) };
    }
  });
  return { pathway, components };
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
  const stacked = stackedOf(document);
  const extra = stacked === undefined ? { signed } : { signed, stacked };
  try {
    return { credential: anchoredViewOf(document), formatProblems: [], hashes: checkInclusionV2(value as Record<string, unknown>), hashError: undefined, ...extra };
  } catch (error) {
    return { credential: anchoredViewOf(document), formatProblems: [], hashes: undefined, hashError: error instanceof Error ? error.message : String(error), ...extra };
  }
}
