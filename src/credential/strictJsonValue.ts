import { InvalidInputError } from "../errors/issuerErrors.ts";
import { JsonSyntaxProblem, parseJsonText } from "./parseJsonText.ts";

/**
 * The value of JSON bytes read strictly (UTF-8, then I-JSON: no duplicate member names, no lone surrogates, no
 * numbers that change when parsed). Anything else is an {@link InvalidInputError} naming `what` (e.g. "The pathway
 * file x.json"), every problem with its JSON path, and `fix`. No file system: the pages use it too.
 */
export function strictJsonValue(bytes: Uint8Array, what: string, fix: string): unknown {
  const parsed = parseJsonText(bytes);
  if (parsed instanceof JsonSyntaxProblem) throw new InvalidInputError(`${what} is ${parsed.message}.`, [fix]);
  if (parsed.problems.length > 0) {
    throw new InvalidInputError(`${what} is not I-JSON (RFC 7493): ${parsed.problems.length} problem${parsed.problems.length === 1 ? "" : "s"}.`, [
      ...parsed.problems.slice(0, 20).map((problem) => `${problem.path}: ${problem.message}`),
      fix,
    ]);
  }
  return parsed.value;
}
