import { InvalidInputError } from "../errors/issuerErrors.ts";
import type { Pathway } from "./pathwayFromValue.ts";

/**
 * The pathways of several files, in order; two files describing one pathway (the same id) is the caller's mistake,
 * named by both files.
 */
export function distinctPathways(files: readonly { readonly name: string; readonly pathway: Pathway }[]): Pathway[] {
  const seen = new Map<string, string>();
  for (const { name, pathway } of files) {
    const earlier = seen.get(pathway.rule.id);
    if (earlier !== undefined) throw new InvalidInputError(`The pathway files ${earlier} and ${name} both describe ${pathway.rule.id}.`, ["Keep one file per pathway."]);
    seen.set(pathway.rule.id, name);
  }
  return files.map((file) => file.pathway);
}
