import { readStrictJsonFile } from "../fs/readStrictJsonFile.ts";
import { PATHWAY_FIX, type Pathway, pathwayFromValue } from "./pathwayFromValue.ts";

/** Reads and validates a pathway file (strict JSON). */
export async function readPathway(file: string): Promise<Pathway> {
  return pathwayFromValue(await readStrictJsonFile(file, "The pathway file", PATHWAY_FIX), `The pathway file ${file}`);
}
