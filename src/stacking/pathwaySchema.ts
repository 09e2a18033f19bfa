import { z } from "zod";
import { achievementInputSchema } from "../credential/issuanceInputSchema.ts";
import { uri } from "../credential/schemaPrimitives.ts";
import { MAX_PATHWAY_COMPONENTS, pathwayComponentSchema } from "../credential/v2/pathwayRuleSchema.ts";

/** The `type` of a pathway file. */
export const PATHWAY_FILE_TYPE = "CredregPathway";

/**
 * A pathway file (docs/stacking.md, examples/pathway.json): the qualification (an achievement, as achievement.json
 * writes one) and its rule: the component achievements (each optionally from one accredited issuer), how many are
 * required (`"all"` or a number), and optionally the minimum total ECTS credits and the minimum EQF level of each.
 */
export const pathwayFileSchema = z
  .strictObject({
    type: z.literal(PATHWAY_FILE_TYPE),
    id: uri,
    qualification: achievementInputSchema,
    components: z.array(pathwayComponentSchema).min(1, "needs at least one component").max(MAX_PATHWAY_COMPONENTS),
    required: z.union([z.literal("all"), z.number().int("must be a whole number or \"all\"").min(1, "must be at least 1")]),
    minCredits: z.number().positive("must be positive").max(1_000).optional(),
    minEqfLevel: z.number().int("must be a whole number").min(1, "EQF levels are 1 to 8").max(8, "EQF levels are 1 to 8").optional(),
  })
  .superRefine((pathway, context) => {
    if (typeof pathway.required === "number" && pathway.required > pathway.components.length) {
      context.addIssue({ code: "custom", path: ["required"], message: `must be at most the number of components (${pathway.components.length}), or "all"` });
    }
    const seen = new Set<string>();
    pathway.components.forEach((component, index) => {
      if (seen.has(component.achievement)) context.addIssue({ code: "custom", path: ["components", index, "achievement"], message: "names an achievement already named: each component once" });
      seen.add(component.achievement);
    });
    if (pathway.components.some((component) => component.achievement === pathway.qualification.id)) {
      context.addIssue({ code: "custom", path: ["qualification", "id"], message: "must differ from every component's achievement (a qualification cannot stack itself)" });
    }
  });

export type PathwayFile = z.infer<typeof pathwayFileSchema>;
