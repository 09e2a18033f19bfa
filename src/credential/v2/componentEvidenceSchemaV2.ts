import { z } from "zod";
import { proofSchema } from "../credentialSchema.ts";
import { dateTime, issuerId, proofBytes32, text, uri, uuidUrn } from "../schemaPrimitives.ts";

/** The type a stacked credential's component entries carry beside `Evidence` (docs/stacking.md). */
export const COMPONENT_EVIDENCE_TYPE = "CredregComponent2026";

/**
 * What a component entry says of its component credential: what it attests (achievement, credits, EQF level, as the
 * component states them) and where it is anchored (its content hash, salt, leaf, Merkle proof, root and anchor), so
 * that a verifier checks the component on chain from the stacked credential alone.
 */
const componentShape = {
  /** The component's achievement id. */
  achievement: uri,
  /** The component issuer's profile id, as the registry binds it to the anchoring address. */
  issuerProfile: issuerId,
  creditsAvailable: z.number().positive("must be positive").max(1_000),
  eqfLevel: z.number().int("must be a whole number").min(1, "EQF levels are 1 to 8").max(8, "EQF levels are 1 to 8"),
  /** The component's content hash (what its own format hashes), from which its leaf is recomputed with salt and index. */
  contentHash: proofBytes32,
  /** The component's anchor time (its proof's `created`). */
  created: dateTime,
  // Where it is anchored: exactly as a format 1 proof or a format 2 anchor proof says it.
  salt: proofSchema.shape.salt,
  leafIndex: proofSchema.shape.leafIndex,
  merkleRoot: proofSchema.shape.merkleRoot,
  merkleProof: proofSchema.shape.merkleProof,
  anchor: proofSchema.shape.anchor,
};

/** The members every component entry has (creditsAvailable and eqfLevel only when the component states them). */
const REQUIRED_COMPONENT_MEMBERS = ["id", "name", "achievement", "issuerProfile", "contentHash", "created", "salt", "leafIndex", "merkleRoot", "merkleProof", "anchor"] as const;

/** One component of a stacked credential, as the stacking issuer writes it (every member checked). */
export const componentEvidenceSchema = z.strictObject({
  type: z.tuple([z.literal("Evidence"), z.literal(COMPONENT_EVIDENCE_TYPE)]),
  /** The component credential's id. */
  id: uuidUrn,
  /** The component's achievement name (for people). */
  name: text(256),
  ...componentShape,
  creditsAvailable: componentShape.creditsAvailable.optional(),
  eqfLevel: componentShape.eqfLevel.optional(),
});

export type ComponentEvidence = z.infer<typeof componentEvidenceSchema>;

/**
 * A format v2 credential's `evidence` entry: plain Open Badges Evidence (`["Evidence"]`, an id and/or a narrative),
 * or a component of a stacked credential (`["Evidence", "CredregComponent2026"]` with every component member). One
 * strict object (not a union) so that the verifier's fast schema check still compiles.
 */
export const evidenceSchemaV2 = z
  .strictObject({
    type: z.array(z.enum(["Evidence", COMPONENT_EVIDENCE_TYPE])).min(1).max(2),
    id: uri.optional(),
    name: text(256).optional(),
    narrative: text(4096).optional(),
    achievement: componentShape.achievement.optional(),
    issuerProfile: componentShape.issuerProfile.optional(),
    creditsAvailable: componentShape.creditsAvailable.optional(),
    eqfLevel: componentShape.eqfLevel.optional(),
    contentHash: componentShape.contentHash.optional(),
    created: componentShape.created.optional(),
    salt: componentShape.salt.optional(),
    leafIndex: componentShape.leafIndex.optional(),
    merkleRoot: componentShape.merkleRoot.optional(),
    merkleProof: componentShape.merkleProof.optional(),
    anchor: componentShape.anchor.optional(),
  })
  .superRefine((evidence, context) => {
    const component = evidence.type.length === 2;
    if (evidence.type[0] !== "Evidence" || (component && evidence.type[1] !== COMPONENT_EVIDENCE_TYPE)) {
      context.addIssue({ code: "custom", path: ["type"], message: `must be ["Evidence"] or ["Evidence", "${COMPONENT_EVIDENCE_TYPE}"]` });
      return;
    }
    const members = evidence as Record<string, unknown>;
    if (component) {
      for (const key of REQUIRED_COMPONENT_MEMBERS) if (members[key] === undefined) context.addIssue({ code: "custom", path: [key], message: `a ${COMPONENT_EVIDENCE_TYPE} entry needs ${key}` });
      if (evidence.id !== undefined && !uuidUrn.safeParse(evidence.id).success) context.addIssue({ code: "custom", path: ["id"], message: "must be the component credential's id (urn:uuid:…)" });
      if (evidence.narrative !== undefined) context.addIssue({ code: "custom", path: ["narrative"], message: `is not a member of a ${COMPONENT_EVIDENCE_TYPE} entry` });
      return;
    }
    for (const key of Object.keys(componentShape)) if (members[key] !== undefined) context.addIssue({ code: "custom", path: [key], message: `is a member of ${COMPONENT_EVIDENCE_TYPE} entries only` });
    if (evidence.id === undefined && evidence.narrative === undefined) context.addIssue({ code: "custom", path: [], message: "needs an id and/or a narrative" });
  });

/** Whether an evidence entry (of a credential that passed the v2 schema) is a component of a stacked credential. */
export const isComponentEvidence = (evidence: { readonly type: readonly string[] }): evidence is ComponentEvidence => evidence.type.includes(COMPONENT_EVIDENCE_TYPE);
