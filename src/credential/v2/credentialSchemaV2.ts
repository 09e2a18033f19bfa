import { z } from "zod";
import { ACHIEVEMENT_TYPE, OB3_CONTEXT, VC_V2_CONTEXT } from "../constants.ts";
import { achievementCoreShape, alignmentSchema, credentialSubjectSchema, proofSchema } from "../credentialSchema.ts";
import { dateTime, issuerId, languageTag, text, typeList, uri, uuidUrn } from "../schemaPrimitives.ts";
import { ANCHOR_PROOF_TYPE_V2, CREDREG_CONTEXT_V2_URL } from "./credregContextV2.ts";
import { LEARNING_MODE_IRIS } from "./learningModes.ts";
import { evidenceSchemaV2, isComponentEvidence } from "./componentEvidenceSchemaV2.ts";
import { pathwayRuleSchema } from "./pathwayRuleSchema.ts";

/** The achievement type of a qualification that stacked credentials add up to (OB 3.0's `Certificate`). */
export const STACKED_ACHIEVEMENT_TYPE = "Certificate";

// Format v2 (docs/credential-format-v2.md): an Open Badges 3.0 AchievementCredential that wallets accept. Objects are
// strict, as in v1 (a typo must never be anchored), and every member is a term of the packaged contexts.

/** An Ed25519 `did:key` (multibase base58btc of the multicodec-prefixed key: `z6Mk` and 44 more characters). */
const ED25519_DID_KEY = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]{44})$/;
export const didKey = z.string().regex(ED25519_DID_KEY, "must be an Ed25519 did:key (did:key:z6Mk…)");
const httpsUrl = z.string().max(2048, "must be at most 2048 characters").regex(/^https:\/\/[^\s#]+$/, "must be an https URL without a fragment");

/** Open Badges 3.0 Image: an https URL or an embedded PNG/SVG (`data:`; at most about 256 KB). */
export const imageSchema = z.strictObject({
  id: z
    .string()
    .max(350_000, "must be at most 350,000 characters (an image of about 256 KB)")
    .regex(/^(https:\/\/\S+|data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2})$/, "must be an https URL or a data: URL of a PNG or SVG image in base64"),
  type: z.literal("Image"),
  caption: text(512).optional(),
});

/** The issuer: its signing key's DID, its name, and the profile URL accredited on chain. */
export const profileSchemaV2 = z.strictObject({
  id: didKey,
  type: typeList("Profile"),
  name: text(128),
  url: issuerId,
  image: imageSchema.optional(),
});

/** OB 3.0 alignment target types, and its `ext:` extension convention. */
const ALIGNMENT_TARGET_TYPE = /^(ceasn:Competency|ceterms:Credential|CFItem|CFRubric|CFRubricCriterion|CFRubricCriterionLevel|CTDL|ext:[A-Za-z0-9._-]+)$/;
/** OB 3.0 result types, and its `ext:` extension convention. */
const RESULT_TYPE = /^(GradePointAverage|LetterGrade|Percent|PerformanceLevel|PredictedScore|RawScore|Result|RubricCriterion|RubricCriterionLevel|RubricScore|ScaledScore|Status|ext:[A-Za-z0-9._-]+)$/;
/** The EQF level of an achievement, as the alignment target the EU publishes for it. */
export const EQF_LEVEL_URL = /^http:\/\/data\.europa\.eu\/snb\/eqf\/([1-8])$/;

/** v1's alignment (still strict), with OB's `targetType`. */
export const alignmentSchemaV2 = alignmentSchema.extend({
  targetType: z.string().regex(ALIGNMENT_TARGET_TYPE, "must be an Open Badges alignment target type or ext:<name>").optional(),
});

export const resultDescriptionSchema = z.strictObject({
  id: uri,
  type: z.tuple([z.literal("ResultDescription")]),
  name: text(256),
  resultType: z.string().regex(RESULT_TYPE, "must be an Open Badges result type or ext:<name>"),
  allowedValue: z.array(text(256)).min(1).max(100).optional(),
});

/** The achievement: Open Badges 3.0 Achievement, with the European Learning Model terms OB has not. */
export const achievementSchemaV2 = z
  .strictObject({
    ...achievementCoreShape,
    /** A micro-credential; or, for a stacked credential's qualification, a certificate. */
    achievementType: z.enum([ACHIEVEMENT_TYPE, STACKED_ACHIEVEMENT_TYPE]),
    image: imageSchema.optional(),
    /** ECTS credits. */
    creditsAvailable: z.number().positive("must be positive").max(1_000).optional(),
    /** Skills (ESCO) and, exactly once, the EQF level. */
    alignment: z.array(alignmentSchemaV2).min(1).max(200),
    resultDescription: z.array(resultDescriptionSchema).min(1).max(20).optional(),
    fieldOfStudy: text(256).optional(),
    inLanguage: languageTag.optional(),
    learningOutcome: z.array(text(1024)).min(1, "needs at least one learning outcome").max(100),
    /** Hours of learning, as an xsd:duration in hours and minutes (`PT125H`, `PT12H30M`). */
    volumeOfLearning: z.string().regex(/^PT(?=\d)([1-9][0-9]{0,5}H)?([1-5]?[0-9]M)?$/, "must be a duration in hours and minutes, e.g. PT125H or PT12H30M").optional(),
    /** The learning mode: one of ELM's "Mode of learning and assessment" concepts. */
    mode: z.enum(Object.values(LEARNING_MODE_IRIS) as [string, ...string[]], { message: `must be an ELM mode of learning concept (${Object.values(LEARNING_MODE_IRIS).join(", ")})` }),
    assessment: text(256),
    accreditation: z.strictObject({ type: z.literal("Accreditation"), name: text(1024) }),
    /** A stacked credential's qualification: the rule its components satisfy (docs/stacking.md). */
    pathway: pathwayRuleSchema.optional(),
  })
  .superRefine((achievement, context) => {
    if (achievement.creditsAvailable === undefined && achievement.volumeOfLearning === undefined) {
      context.addIssue({ code: "custom", path: ["volumeOfLearning"], message: "needs volumeOfLearning and/or creditsAvailable" });
    }
    const eqf = achievement.alignment.filter((alignment) => EQF_LEVEL_URL.test(alignment.targetUrl));
    if (eqf.length !== 1) context.addIssue({ code: "custom", path: ["alignment"], message: `needs exactly one EQF level alignment (http://data.europa.eu/snb/eqf/1 to 8), has ${eqf.length}` });
    const ids = (achievement.resultDescription ?? []).map((description) => description.id);
    if (new Set(ids).size !== ids.length) context.addIssue({ code: "custom", path: ["resultDescription"], message: "each result description needs its own id" });
    if ((achievement.pathway !== undefined) !== (achievement.achievementType === STACKED_ACHIEVEMENT_TYPE)) {
      context.addIssue({ code: "custom", path: ["achievementType"], message: `must be ${STACKED_ACHIEVEMENT_TYPE} with a pathway (a stacked credential's qualification), ${ACHIEVEMENT_TYPE} without` });
    }
  });

export const resultSchemaV2 = z.strictObject({
  type: z.tuple([z.literal("Result")]),
  /** The id of one of the achievement's `resultDescription` entries. */
  resultDescription: uri.optional(),
  value: text(256),
});

/** v1's subject (holder, credits earned), with the v2 achievement and results. */
export const credentialSubjectSchemaV2 = credentialSubjectSchema.extend({
  achievement: achievementSchemaV2,
  result: z.array(resultSchemaV2).min(1).max(20).optional(),
});

/** W3C Bitstring Status List entry (revocation): the credential's bit in its batch's published list. */
export const statusEntrySchemaV2 = z
  .strictObject({
    id: z.string().max(2100),
    type: z.literal("BitstringStatusListEntry"),
    statusPurpose: z.literal("revocation"),
    statusListIndex: z.string().regex(/^(0|[1-9][0-9]{0,9})$/, "must be the leaf index as a decimal string"),
    statusListCredential: httpsUrl,
  })
  .refine((entry) => entry.id === `${entry.statusListCredential}#${entry.statusListIndex}`, { path: ["id"], message: "must be statusListCredential#statusListIndex" });

/** The issuer's signature: W3C Data Integrity, eddsa-rdfc-2022, by its did:key, for assertion. */
export const signatureProofSchema = z.strictObject({
  id: uuidUrn,
  type: z.literal("DataIntegrityProof"),
  cryptosuite: z.literal("eddsa-rdfc-2022"),
  created: dateTime,
  proofPurpose: z.literal("assertionMethod"),
  verificationMethod: z.string().regex(/^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]{44})#\1$/, "must be the did:key verification method did:key:<key>#<key>"),
  proofValue: z.string().regex(/^z[1-9A-HJ-NP-Za-km-z]{85,90}$/, "must be a base58btc multibase Ed25519 signature (z…)"),
});

/** The anchor: the signed credential's inclusion in a batch whose root is on chain, chained to the signature. */
export const anchorProofSchemaV2 = proofSchema.extend({ type: z.literal(ANCHOR_PROOF_TYPE_V2), previousProof: uuidUrn });

const unsignedShapeV2 = {
  "@context": z.tuple([z.literal(VC_V2_CONTEXT), z.literal(OB3_CONTEXT), z.literal(CREDREG_CONTEXT_V2_URL)]),
  id: uuidUrn,
  type: z.tuple([z.literal("VerifiableCredential"), z.literal("OpenBadgeCredential")]),
  issuer: profileSchemaV2,
  name: text(256),
  description: text(4096).optional(),
  validFrom: dateTime,
  validUntil: dateTime.optional(),
  credentialSubject: credentialSubjectSchemaV2,
  credentialStatus: statusEntrySchemaV2,
  evidence: z.array(evidenceSchemaV2).max(50).optional(),
};

type UnsignedV2 = z.infer<z.ZodObject<typeof unsignedShapeV2>>;

/** Checks between fields: the validity window, and results pointing at the achievement's result descriptions. */
function checkUnsignedV2(credential: UnsignedV2, context: z.RefinementCtx): void {
  if (credential.validUntil !== undefined && Date.parse(credential.validUntil) <= Date.parse(credential.validFrom)) {
    context.addIssue({ code: "custom", path: ["validUntil"], message: "must be later than validFrom" });
  }
  const described = new Set((credential.credentialSubject.achievement.resultDescription ?? []).map((description) => description.id));
  credential.credentialSubject.result?.forEach((result, index) => {
    if (result.resultDescription !== undefined && !described.has(result.resultDescription)) {
      context.addIssue({ code: "custom", path: ["credentialSubject", "result", index, "resultDescription"], message: "must be the id of one of the achievement's resultDescription entries" });
    }
  });
  // A stacked credential: its pathway and its component entries go together, each component once.
  const components = (credential.evidence ?? []).filter(isComponentEvidence);
  const pathway = credential.credentialSubject.achievement.pathway;
  if (pathway !== undefined && components.length === 0) context.addIssue({ code: "custom", path: ["evidence"], message: "a stacked credential (with a pathway) needs its CredregComponent2026 entries" });
  if (pathway === undefined && components.length > 0) context.addIssue({ code: "custom", path: ["credentialSubject", "achievement", "pathway"], message: "is needed with CredregComponent2026 evidence (the rule the components satisfy)" });
  const ids = components.map((component) => component.id);
  if (new Set(ids).size !== ids.length) context.addIssue({ code: "custom", path: ["evidence"], message: "names a component credential twice" });
}

/** A v2 credential before signing (no `proof`). */
export const unsignedCredentialSchemaV2 = z.strictObject(unsignedShapeV2).superRefine(checkUnsignedV2);

/** A v2 credential file as a holder keeps it: signed by its issuer's key, then anchored. */
export const credentialSchemaV2 = z
  .strictObject({ ...unsignedShapeV2, proof: z.tuple([signatureProofSchema, anchorProofSchemaV2]) })
  .superRefine((credential, context) => {
    checkUnsignedV2(credential, context);
    const [signature, anchorProof] = credential.proof;
    if (signature.verificationMethod.split("#")[0] !== credential.issuer.id) {
      context.addIssue({ code: "custom", path: ["proof", 0, "verificationMethod"], message: "must be the key of issuer.id (an issuer signs for itself)" });
    }
    if (anchorProof.previousProof !== signature.id) {
      context.addIssue({ code: "custom", path: ["proof", 1, "previousProof"], message: "must be the id of the signature (proof[0].id)" });
    }
    if (String(anchorProof.leafIndex) !== credential.credentialStatus.statusListIndex) {
      context.addIssue({ code: "custom", path: ["proof", 1, "leafIndex"], message: "must equal credentialStatus.statusListIndex" });
    }
  });

export type CredentialV2 = z.infer<typeof credentialSchemaV2>;
export type UnsignedCredentialV2 = z.infer<typeof unsignedCredentialSchemaV2>;
