import { z } from "zod";
import { ACHIEVEMENT_TYPE, OB3_CONTEXT, PARTICIPATION_FORMS, PROOF_TYPE, STATUS_ENTRY_TYPE, VC_V2_CONTEXT } from "./constants.ts";
import { checksummed, dateTime, issuerId, languageTag, proofBytes32, text, typeList, uri, uuidUrn } from "./schemaPrimitives.ts";

// The credential format, frozen: docs/credential-format.md is its specification. Objects are strict (an unknown
// member is an error: a typo must never end up anchored), and every problem is reported with its JSON path.

/** Open Badges 3.0 Profile: the issuer. `id` is the profile id the registry binds to the issuer's address. */
export const profileSchema = z.strictObject({
  id: issuerId,
  type: typeList("Profile"),
  name: text(128),
});

/** The holder's e-mail, hashed with a salt as Open Badges 3.0 does it: `sha256$` + hex(sha256(email + salt)). */
export const emailIdentitySchema = z.strictObject({
  type: z.literal("IdentityObject"),
  identityType: z.literal("emailAddress"),
  hashed: z.literal(true),
  identityHash: z.string().regex(/^sha256\$[0-9a-f]{64}$/, 'must be "sha256$" followed by 64 lower-case hex digits'),
  salt: z.string().regex(/^[0-9a-f]{32,64}$/, "must be 32 to 64 lower-case hex digits"),
});

/** The holder's name, in clear (Open Badges 3.0 IdentityObject of type "name"). */
export const nameIdentitySchema = z.strictObject({
  type: z.literal("IdentityObject"),
  identityType: z.literal("name"),
  hashed: z.literal(false),
  identityHash: text(256),
});

export const identitySchema = z.discriminatedUnion("identityType", [emailIdentitySchema, nameIdentitySchema]);

/** The holder: a name and/or a hashed e-mail, each at most once. */
export const holderIdentifiersSchema = z
  .array(identitySchema)
  .min(1, "needs the holder's name and/or hashed e-mail")
  .max(2)
  .refine((ids) => new Set(ids.map((id) => id.identityType)).size === ids.length, "each identity type may appear once");

/** Open Badges 3.0 Criteria: how the achievement is earned (a narrative and/or a page). */
export const criteriaSchema = z
  .strictObject({ id: uri.optional(), narrative: text(4096).optional() })
  .refine((criteria) => criteria.id !== undefined || criteria.narrative !== undefined, "needs a narrative and/or an id");

/** A skill or competency the achievement aligns to (e.g. an ESCO skill URI). */
export const alignmentSchema = z.strictObject({
  type: z.tuple([z.literal("Alignment")]),
  targetName: text(512),
  targetUrl: uri,
  targetFramework: text(256).optional(),
  targetCode: text(256).optional(),
  targetDescription: text(2048).optional(),
});

/** Workload (EU element): hours and/or ECTS credits, at least one. */
export const workloadSchema = z
  .strictObject({
    hours: z.number().positive("must be positive").max(100_000).optional(),
    ectsCredits: z.number().positive("must be positive").max(1_000).optional(),
  })
  .refine((workload) => workload.hours !== undefined || workload.ectsCredits !== undefined, "needs hours and/or ectsCredits");

/** The Open Badges 3.0 Achievement members every format's achievement starts with. */
export const achievementCoreShape = {
  id: uri,
  type: z.tuple([z.literal("Achievement")]),
  achievementType: z.literal(ACHIEVEMENT_TYPE),
  name: text(256),
  description: text(4096),
  criteria: criteriaSchema,
};

/** The achievement a micro-credential attests: Open Badges 3.0 Achievement plus the EU micro-credential elements. */
export const achievementSchema = z.strictObject({
  ...achievementCoreShape,
  learningOutcomes: z.array(text(1024)).min(1, "needs at least one learning outcome").max(100),
  workload: workloadSchema,
  eqfLevel: z.number().int("must be a whole number").min(1, "EQF levels are 1 to 8").max(8, "EQF levels are 1 to 8"),
  assessmentType: text(256),
  participation: z.enum(PARTICIPATION_FORMS, { message: `must be one of ${PARTICIPATION_FORMS.join(", ")}` }),
  qualityAssurance: text(1024),
  alignment: z.array(alignmentSchema).max(200).optional(),
  fieldOfStudy: text(256).optional(),
  inLanguage: languageTag.optional(),
});

/** Open Badges 3.0 Result: a grade or score. */
export const resultSchema = z.strictObject({
  type: z.tuple([z.literal("Result")]),
  value: text(256),
  resultDescription: text(1024).optional(),
});

/** Open Badges 3.0 Evidence. */
export const evidenceSchema = z
  .strictObject({
    type: z.tuple([z.literal("Evidence")]),
    id: uri.optional(),
    name: text(256).optional(),
    narrative: text(4096).optional(),
  })
  .refine((evidence) => evidence.id !== undefined || evidence.narrative !== undefined, "needs an id and/or a narrative");

export const credentialSubjectSchema = z.strictObject({
  type: z.tuple([z.literal("AchievementSubject")]),
  /** The holder: a name and/or a hashed e-mail. */
  identifier: holderIdentifiersSchema,
  achievement: achievementSchema,
  creditsEarned: z.number().nonnegative("must not be negative").max(1_000).optional(),
  result: z.array(resultSchema).min(1).max(20).optional(),
});

/** One entry of `credentialStatus`: the credential's bit in one of the registry's lists. */
export const statusEntrySchema = z.strictObject({
  type: z.literal(STATUS_ENTRY_TYPE),
  statusPurpose: z.enum(["revocation", "suspension"]),
  statusListIndex: z.string().regex(/^(0|[1-9][0-9]{0,9})$/, "must be the leaf index as a decimal string"),
  registry: z.string().regex(/^eip155:[1-9][0-9]*:0x[0-9a-fA-F]{40}$/, "must be eip155:<chainId>:<registry address>"),
});

const unsignedShape = {
  "@context": z
    .array(z.string())
    .refine((contexts) => contexts[0] === VC_V2_CONTEXT && contexts[1] === OB3_CONTEXT, `must start with "${VC_V2_CONTEXT}", "${OB3_CONTEXT}"`),
  id: uuidUrn,
  type: z
    .array(z.string())
    .refine((types) => types.includes("VerifiableCredential") && types.includes("OpenBadgeCredential"), 'must include "VerifiableCredential" and "OpenBadgeCredential"'),
  issuer: profileSchema,
  name: text(256),
  description: text(4096).optional(),
  validFrom: dateTime,
  validUntil: dateTime.optional(),
  credentialSubject: credentialSubjectSchema,
  credentialStatus: z.tuple([statusEntrySchema, statusEntrySchema]),
  evidence: z.array(evidenceSchema).max(50).optional(),
};

type UnsignedShape = {
  validFrom: string;
  validUntil?: string | undefined;
  credentialStatus: [z.infer<typeof statusEntrySchema>, z.infer<typeof statusEntrySchema>];
};

/** Checks between fields of an unsigned credential: validity window, and the two status entries. */
function checkUnsigned(credential: UnsignedShape, context: z.RefinementCtx): void {
  if (credential.validUntil !== undefined && Date.parse(credential.validUntil) <= Date.parse(credential.validFrom)) {
    context.addIssue({ code: "custom", path: ["validUntil"], message: "must be later than validFrom" });
  }
  const [revocation, suspension] = credential.credentialStatus;
  if (revocation.statusPurpose !== "revocation") {
    context.addIssue({ code: "custom", path: ["credentialStatus", 0, "statusPurpose"], message: 'must be "revocation"' });
  }
  if (suspension.statusPurpose !== "suspension") {
    context.addIssue({ code: "custom", path: ["credentialStatus", 1, "statusPurpose"], message: 'must be "suspension"' });
  }
  if (suspension.statusListIndex !== revocation.statusListIndex) {
    context.addIssue({ code: "custom", path: ["credentialStatus", 1, "statusListIndex"], message: "must equal the revocation entry's index" });
  }
  if (suspension.registry.toLowerCase() !== revocation.registry.toLowerCase()) {
    context.addIssue({ code: "custom", path: ["credentialStatus", 1, "registry"], message: "must equal the revocation entry's registry" });
  }
}

/** A credential before its batch is anchored: everything but `proof`. This is what `contentHash` covers. */
export const unsignedCredentialSchema = z.strictObject(unsignedShape).superRefine(checkUnsigned);

/** Where the batch was anchored. */
export const anchorSchema = z.strictObject({
  chainId: z.string().regex(/^eip155:[1-9][0-9]*$/, "must be eip155:<chainId>"),
  registry: checksummed,
  issuer: checksummed,
  transactionHash: proofBytes32,
  blockNumber: z.number().int().nonnegative(),
});

/** The embedded inclusion proof. */
export const proofSchema = z.strictObject({
  type: z.literal(PROOF_TYPE),
  created: dateTime,
  salt: proofBytes32,
  leafIndex: z.number().int().min(0).max(0xfffffffe),
  merkleRoot: proofBytes32,
  merkleProof: z.array(proofBytes32).max(64),
  anchor: anchorSchema,
});

/** A credential file as a recipient holds it: the unsigned credential plus its `proof`. */
export const credentialSchema = z
  .strictObject({ ...unsignedShape, proof: proofSchema })
  .superRefine((credential, context) => {
    checkUnsigned(credential, context);
    const { proof } = credential;
    const [revocation] = credential.credentialStatus;
    if (String(proof.leafIndex) !== revocation.statusListIndex) {
      context.addIssue({ code: "custom", path: ["proof", "leafIndex"], message: "must equal credentialStatus[0].statusListIndex" });
    }
    const expectedRegistry = `${proof.anchor.chainId}:${proof.anchor.registry}`.toLowerCase();
    if (revocation.registry.toLowerCase() !== expectedRegistry) {
      context.addIssue({ code: "custom", path: ["proof", "anchor", "registry"], message: "must match credentialStatus[0].registry (chain and address)" });
    }
  });

export type Profile = z.infer<typeof profileSchema>;
export type Identity = z.infer<typeof identitySchema>;
export type Alignment = z.infer<typeof alignmentSchema>;
export type Achievement = z.infer<typeof achievementSchema>;
export type CredentialResult = z.infer<typeof resultSchema>;
export type Evidence = z.infer<typeof evidenceSchema>;
export type StatusEntry = z.infer<typeof statusEntrySchema>;
export type UnsignedCredential = z.infer<typeof unsignedCredentialSchema>;
export type Anchor = z.infer<typeof anchorSchema>;
export type CredentialProof = z.infer<typeof proofSchema>;
export type Credential = z.infer<typeof credentialSchema>;
