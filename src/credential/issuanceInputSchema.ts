import { z } from "zod";
import { achievementSchema, evidenceSchema, resultSchema } from "./credentialSchema.ts";
import { componentEvidenceSchema } from "./v2/componentEvidenceSchemaV2.ts";
import { MAX_PATHWAY_COMPONENTS } from "./v2/pathwayRuleSchema.ts";

// What an issuer supplies: the achievement (achievement.json) once per batch, and one row per recipient. The fixed
// members (`type`, `achievementType`) are filled in by buildUnsignedCredential.

/** achievement.json: an Achievement without `type` and `achievementType`. */
export const achievementInputSchema = achievementSchema.omit({ type: true, achievementType: true });

const email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "must be an e-mail address");
const dateTime = z.iso.datetime({ offset: true, message: "must be a date-time with a time zone, e.g. 2026-06-30T00:00:00Z" });

/** One recipient: a name and/or an e-mail (hashed into the credential), and what is personal to the holder. */
export const recipientInputSchema = z
  .strictObject({
    name: z.string().max(256).refine((value) => value.trim().length > 0, "must not be blank").optional(),
    email: email.optional(),
    validFrom: dateTime.optional(),
    validUntil: dateTime.optional(),
    creditsEarned: z.number().nonnegative("must not be negative").max(1_000).optional(),
    result: z.array(resultSchema).min(1).max(20).optional(),
    evidence: z.array(z.lazy(() => evidenceSchema)).max(50).optional(),
    /** A stacked credential's components (format 2 only; written by `credreg stack` after verifying each). */
    components: z.array(componentEvidenceSchema).min(1).max(MAX_PATHWAY_COMPONENTS).optional(),
  })
  .refine((recipient) => recipient.name !== undefined || recipient.email !== undefined, "needs a name and/or an email");

export type AchievementInput = z.infer<typeof achievementInputSchema>;
export type RecipientInput = z.infer<typeof recipientInputSchema>;
