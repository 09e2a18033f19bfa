import { COMPONENT_EVIDENCE_TYPE, type ComponentEvidence } from "../credential/v2/componentEvidenceSchemaV2.ts";
import { EQF_LEVEL_URL } from "../credential/v2/credentialSchemaV2.ts";
import type { ReadCredential } from "../verifier/readCredentialCore.ts";

/** What a component credential attests, in either format: its achievement id and name, ECTS credits and EQF level. */
export type ComponentClaims = { readonly achievement: string; readonly name: string; readonly credits: number | undefined; readonly eqfLevel: number | undefined };

type AchievementOfEitherFormat = {
  readonly id: string;
  readonly name: string;
  /** Format 2. */
  readonly creditsAvailable?: number;
  readonly alignment?: readonly { readonly targetUrl: string }[];
  /** Format 1. */
  readonly workload?: { readonly ectsCredits?: number };
  readonly eqfLevel?: number;
};

/** The claims of a credential read by the verifier (format 1 or 2; its format passed). */
export function componentClaimsOf(read: ReadCredential): ComponentClaims {
  const achievement = read.credential!.credentialSubject.achievement as unknown as AchievementOfEitherFormat;
  const eqfAlignment = achievement.alignment?.map((alignment) => EQF_LEVEL_URL.exec(alignment.targetUrl)?.[1]).find((level) => level !== undefined);
  return {
    achievement: achievement.id,
    name: achievement.name,
    credits: achievement.creditsAvailable ?? achievement.workload?.ectsCredits,
    eqfLevel: achievement.eqfLevel ?? (eqfAlignment === undefined ? undefined : Number(eqfAlignment)),
  };
}

/**
 * The evidence entry a stacked credential carries for one component (docs/stacking.md): what it attests and where it
 * is anchored, from the component as the verifier read it (format 1 or 2, its format and hashes passed). The content
 * hash is the component's own (each format defines what it covers), so the entry's leaf is the component's leaf.
 */
export function componentEvidenceOf(read: ReadCredential): ComponentEvidence {
  const credential = read.credential;
  if (credential === undefined || read.hashes === undefined) throw new TypeError("componentEvidenceOf needs a credential whose format and hashes passed");
  const claims = componentClaimsOf(read);
  const { created, salt, leafIndex, merkleRoot, merkleProof, anchor } = credential.proof;
  return {
    type: ["Evidence", COMPONENT_EVIDENCE_TYPE],
    id: credential.id,
    name: claims.name,
    achievement: claims.achievement,
    // The anchored view: a format 2 credential's accredited profile URL, a format 1 credential's issuer id.
    issuerProfile: credential.issuer.id,
    ...(claims.credits === undefined ? {} : { creditsAvailable: claims.credits }),
    ...(claims.eqfLevel === undefined ? {} : { eqfLevel: claims.eqfLevel }),
    contentHash: read.hashes.contentHash,
    created,
    salt,
    leafIndex,
    merkleRoot,
    merkleProof: [...merkleProof],
    anchor: { ...anchor },
  };
}
