import { createHash, randomUUID } from "node:crypto";
import { ACHIEVEMENT_TYPE, OB3_CONTEXT, VC_V2_CONTEXT } from "../constants.ts";
import { holderIdentifiers, nowAsDateTime, randomHex } from "../buildUnsignedCredential.ts";
import type { AchievementInput, RecipientInput } from "../issuanceInputSchema.ts";
import { CREDREG_CONTEXT_V2_URL } from "./credregContextV2.ts";
import { STACKED_ACHIEVEMENT_TYPE, type UnsignedCredentialV2 } from "./credentialSchemaV2.ts";
import { MODE_OF_PARTICIPATION } from "./learningModes.ts";
import type { PathwayRule } from "./pathwayRuleSchema.ts";

type AchievementV2 = UnsignedCredentialV2["credentialSubject"]["achievement"];

/** What all format v2 credentials of a batch share. */
export type CredentialTemplateV2 = {
  /** The issuer: its signing key's `did:key`, its profile id as accredited on chain (`url`), its name. */
  readonly issuer: { readonly did: string; readonly url: string; readonly name: string };
  /** The achievement as issuers write it (achievement.json, the same for both formats). */
  readonly achievement: AchievementInput;
  /** The badge image (`data:` URL of a PNG or SVG), with its caption. */
  readonly image?: { readonly id: string; readonly caption: string } | undefined;
  /** The distinct result texts of the batch's recipients: each becomes one `Achievement.resultDescription`. */
  readonly resultNames: readonly string[];
  /** The URL of the batch's Bitstring Status List credential (published by the issuer). */
  readonly statusListCredential: string;
  readonly validFrom?: string | undefined;
  readonly validUntil?: string | undefined;
  /** A stacked credential's batch: the qualification's rule (its recipients carry their components). */
  readonly pathway?: PathwayRule | undefined;
};

/** A stable `urn:uuid` (version 8, name-based with SHA-256) for `name` within `namespace`. */
export function nameBasedUuid(namespace: string, name: string): string {
  const hex = createHash("sha256").update(`${namespace}\n${name}`).digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The `Achievement.resultDescription` id of a result text (the same in every credential of the achievement). */
export function resultDescriptionIdOf(achievementId: string, resultName: string): string {
  return nameBasedUuid(`credreg result description ${achievementId}`, resultName);
}

/** The id of a credential's signature (its anchor proof's `previousProof`): derived from the credential id. */
export function signatureIdOf(credentialId: string): string {
  return nameBasedUuid("credreg signature", credentialId);
}

/** Hours as an xsd:duration in hours and minutes (`PT125H`, `PT12H30M`). */
export function hoursAsDuration(hours: number): string {
  const minutes = Math.round(hours * 60);
  const whole = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${whole > 0 ? `${whole}H` : ""}${rest > 0 || whole === 0 ? `${rest}M` : ""}`;
}

/** The achievement of a template in format v2 (v1's terms mapped to OB 3.0 and the European Learning Model). */
export function achievementV2Of(template: CredentialTemplateV2): AchievementV2 {
  const input = template.achievement;
  const eqf = {
    type: ["Alignment"] as ["Alignment"],
    targetName: `EQF level ${input.eqfLevel}`,
    targetUrl: `http://data.europa.eu/snb/eqf/${input.eqfLevel}`,
    targetFramework: "European Qualifications Framework",
    targetType: "ext:EQFLevel",
  };
  // The EQF level is the achievement's eqfLevel: an alignment naming the same level is not repeated.
  const others = (input.alignment ?? []).filter((alignment) => alignment.targetUrl !== eqf.targetUrl);
  const resultDescription = template.resultNames.map((name) => ({
    id: resultDescriptionIdOf(input.id, name),
    type: ["ResultDescription"] as ["ResultDescription"],
    name,
    resultType: "Result",
  }));
  return {
    id: input.id,
    type: ["Achievement"],
    achievementType: template.pathway === undefined ? ACHIEVEMENT_TYPE : STACKED_ACHIEVEMENT_TYPE,
    name: input.name,
    description: input.description,
    criteria: input.criteria,
    ...(template.image === undefined ? {} : { image: { id: template.image.id, type: "Image" as const, caption: template.image.caption } }),
    ...(input.workload.ectsCredits === undefined ? {} : { creditsAvailable: input.workload.ectsCredits }),
    alignment: [eqf, ...others],
    ...(resultDescription.length === 0 ? {} : { resultDescription }),
    ...(input.fieldOfStudy === undefined ? {} : { fieldOfStudy: input.fieldOfStudy }),
    ...(input.inLanguage === undefined ? {} : { inLanguage: input.inLanguage }),
    learningOutcome: input.learningOutcomes,
    ...(input.workload.hours === undefined ? {} : { volumeOfLearning: hoursAsDuration(input.workload.hours) }),
    mode: MODE_OF_PARTICIPATION[input.participation],
    assessment: input.assessmentType,
    accreditation: { type: "Accreditation", name: input.qualityAssurance },
    ...(template.pathway === undefined ? {} : { pathway: template.pathway }),
  };
}

const achievements = new WeakMap<CredentialTemplateV2, AchievementV2>();

/** What is generated per credential; a resumed batch passes what was stored. */
export type CredentialRandomnessV2 = { readonly id?: string | undefined; readonly emailSalt?: string | undefined };

/**
 * Builds the unsigned format v2 credential (docs/credential-format-v2.md) of `recipient` at leaf `index`: an Open
 * Badges 3.0 AchievementCredential issued by the key's did:key, with the batch's Bitstring Status List entry.
 * Credentials of one template share its achievement object: treat them as read-only. The input is expected valid.
 */
export function buildUnsignedCredentialV2(template: CredentialTemplateV2, recipient: RecipientInput, index: number, randomness: CredentialRandomnessV2 = {}): UnsignedCredentialV2 {
  let achievement = achievements.get(template);
  if (achievement === undefined) {
    achievement = achievementV2Of(template);
    achievements.set(template, achievement);
  }
  const validUntil = recipient.validUntil ?? template.validUntil;
  const statusListIndex = String(index);
  return {
    "@context": [VC_V2_CONTEXT, OB3_CONTEXT, CREDREG_CONTEXT_V2_URL],
    id: randomness.id ?? `urn:uuid:${randomUUID()}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer: { id: template.issuer.did, type: ["Profile"], name: template.issuer.name, url: template.issuer.url },
    name: template.achievement.name,
    validFrom: recipient.validFrom ?? template.validFrom ?? nowAsDateTime(),
    ...(validUntil === undefined ? {} : { validUntil }),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: holderIdentifiers(recipient, randomness.emailSalt ?? randomHex(16)),
      achievement,
      ...(recipient.creditsEarned === undefined ? {} : { creditsEarned: recipient.creditsEarned }),
      ...(recipient.result === undefined
        ? {}
        : {
            result: recipient.result.map((result) => ({
              type: ["Result"] as ["Result"],
              ...(result.resultDescription === undefined ? {} : { resultDescription: resultDescriptionIdOf(template.achievement.id, result.resultDescription) }),
              value: result.value,
            })),
          }),
    },
    credentialStatus: {
      id: `${template.statusListCredential}#${statusListIndex}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex,
      statusListCredential: template.statusListCredential,
    },
    ...(recipient.evidence === undefined && recipient.components === undefined ? {} : { evidence: [...(recipient.evidence ?? []), ...(recipient.components ?? [])] }),
  };
}

/** The distinct result texts of `recipients`, in first-seen order (the achievement's result descriptions). */
export function resultNamesOf(recipients: readonly RecipientInput[]): string[] {
  const names = new Set<string>();
  for (const recipient of recipients) for (const result of recipient.result ?? []) if (result.resultDescription !== undefined) names.add(result.resultDescription);
  return [...names];
}

