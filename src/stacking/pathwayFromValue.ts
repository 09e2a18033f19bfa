import type { AchievementInput } from "../credential/issuanceInputSchema.ts";
import { validateWith } from "../credential/validateCredential.ts";
import type { PathwayRule } from "../credential/v2/pathwayRuleSchema.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { type PathwayFile, pathwayFileSchema } from "./pathwaySchema.ts";

/** A pathway as stacking and portfolios use it: the qualification to issue, and the rule its credentials carry. */
export type Pathway = { readonly qualification: AchievementInput; readonly rule: PathwayRule };

/** What to do about a pathway that is not valid. */
export const PATHWAY_FIX = "Write the pathway like examples/pathway.json (docs/stacking.md).";

/** The pathway of a validated pathway file: `required: "all"` becomes the number of components. */
export function pathwayOf(file: PathwayFile): Pathway {
  return {
    qualification: file.qualification,
    rule: {
      id: file.id,
      required: file.required === "all" ? file.components.length : file.required,
      ...(file.minCredits === undefined ? {} : { minCredits: file.minCredits }),
      ...(file.minEqfLevel === undefined ? {} : { minEqfLevel: file.minEqfLevel }),
      components: file.components,
    },
  };
}

/**
 * Validates a pathway given as a value (an API request, a file read by the caller): every problem with its JSON path
 * in the document that holds the pathway (`at`: `$` for a pathway file, `$.pathways[2]` for one in a request), as an
 * InvalidInputError. No file system: the portfolio page uses it in the browser.
 */
export function pathwayFromValue(value: unknown, name = "The pathway", at = "$"): Pathway {
  const checked = validateWith<PathwayFile>(pathwayFileSchema, value);
  if (!checked.ok) throw new InvalidInputError(`${name} is not a valid pathway.`, [...checked.problems.slice(0, 50).map((problem) => `${at}${problem.path.slice(1)}: ${problem.message}`), PATHWAY_FIX]);
  return pathwayOf(checked.value);
}
