import { z } from "zod";
import { checksummed, uri } from "../schemaPrimitives.ts";

/** The most components a pathway may name (and a stacked credential may carry). */
export const MAX_PATHWAY_COMPONENTS = 50;

/** One component a pathway accepts: an achievement, optionally only from one accredited issuer (its address). */
export const pathwayComponentSchema = z.strictObject({
  achievement: uri,
  issuer: checksummed.optional(),
});

/**
 * A pathway's rule as a stacked credential carries it (`credentialSubject.achievement.pathway`), so that a verifier
 * re-checks it from the file alone: `required` of the `components` (each counted once), at least `minCredits` ECTS in
 * total over the counted ones, each at least EQF `minEqfLevel`.
 */
export const pathwayRuleSchema = z
  .strictObject({
    /** The pathway's stable URL. */
    id: uri,
    required: z.number().int("must be a whole number").min(1, "must be at least 1").max(MAX_PATHWAY_COMPONENTS),
    minCredits: z.number().positive("must be positive").max(1_000).optional(),
    minEqfLevel: z.number().int("must be a whole number").min(1, "EQF levels are 1 to 8").max(8, "EQF levels are 1 to 8").optional(),
    components: z.array(pathwayComponentSchema).min(1, "needs at least one component").max(MAX_PATHWAY_COMPONENTS),
  })
  .superRefine((rule, context) => {
    if (rule.required > rule.components.length) context.addIssue({ code: "custom", path: ["required"], message: `must be at most the number of components (${rule.components.length})` });
    const seen = new Set<string>();
    rule.components.forEach((component, index) => {
      if (seen.has(component.achievement)) context.addIssue({ code: "custom", path: ["components", index, "achievement"], message: "names an achievement already named: each component once" });
      seen.add(component.achievement);
    });
  });

export type PathwayRule = z.infer<typeof pathwayRuleSchema>;
