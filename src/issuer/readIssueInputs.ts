import type { PathwayRule } from "../credential/v2/pathwayRuleSchema.ts";
import { type AchievementInput, achievementInputSchema, type RecipientInput } from "../credential/issuanceInputSchema.ts";
import { validateWith } from "../credential/validateCredential.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { readStrictJsonFile } from "../fs/readStrictJsonFile.ts";
import type { IssueOptions } from "./issueBatch.ts";
import { type ReadRecipients, readRecipients, recipientsFromValues, type RejectedRow } from "./readRecipients.ts";

/** What a batch is issued from: the achievement, the valid rows (with their recipients) and the rejected ones. */
export type IssueInputs = ReadRecipients & { readonly achievement: AchievementInput };

/** How a rejected row reads in an error and in the rejected-rows file. */
export function describeRejected(rows: readonly RejectedRow[]): string[] {
  return rows.flatMap((row) => row.problems.map((problem) => `${row.where}: ${problem.path === "$" ? "" : `${problem.path.slice(2)}: `}${problem.message}`));
}

/** Stacked credentials are format 2 only, and come with their pathway: components and pathway go together. */
function checkStacking(formatVersion: 1 | 2, pathway: PathwayRule | undefined, recipients: readonly RecipientInput[]): void {
  const withComponents = recipients.filter((recipient) => recipient.components !== undefined).length;
  if (withComponents === 0 && pathway === undefined) return;
  if (formatVersion !== 2) throw new InvalidInputError("Stacked credentials (components and a pathway) are format 2 only.", ["Issue them with format version 2 (credreg stack does)."]);
  if (pathway === undefined) throw new InvalidInputError(`${withComponents} recipient${withComponents === 1 ? " has" : "s have"} components but no pathway was given.`, ["Stack credentials with credreg stack --pathway <file>."]);
  if (withComponents !== recipients.length) throw new InvalidInputError(`A stacked batch needs components for every recipient (${recipients.length - withComponents} without).`, ["Stack credentials with credreg stack --pathway <file>."]);
}

/**
 * Reads and validates what `credreg issue` (or the API) is given: the achievement (a file or a value), every recipient
 * row (a CSV/JSON file or values), the validity dates, and the stacking members (components with a pathway, format 2
 * only). Rejected rows refuse the batch unless `skipInvalid`; no valid row at all always does. Every refusal is an
 * InvalidInputError naming each problem: nothing is anchored.
 */
export async function readIssueInputs(options: IssueOptions): Promise<IssueInputs> {
  const achievementName = typeof options.achievement === "string" ? options.achievement : "The achievement";
  const inputName = typeof options.input === "string" ? options.input : "the request";
  let achievement: AchievementInput;
  try {
    const value: unknown = typeof options.achievement === "string" ? await readStrictJsonFile(options.achievement, "The achievement file", "Give a JSON achievement like examples/achievement.json.") : options.achievement.value;
    const parsed = validateWith<AchievementInput>(achievementInputSchema, value);
    if (!parsed.ok) {
      throw new InvalidInputError(`${achievementName} is not a valid achievement.`, parsed.problems.map((problem) => `${problem.path}: ${problem.message}`));
    }
    achievement = parsed.value;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`Cannot read the achievement file ${achievementName}: ${(error as Error).message}.`, ["Give a JSON achievement file with --achievement (see examples/achievement.json)."]);
  }
  const input = options.input;
  const { valid, rejected } = typeof input === "string" ? await readRecipients(input) : recipientsFromValues(input.recipients);
  if (rejected.length > 0 && !options.skipInvalid) {
    throw new InvalidInputError(`${rejected.length} of ${valid.length + rejected.length} rows of ${inputName} are not valid; nothing was anchored.`, [
      ...describeRejected(rejected).slice(0, 100),
      ...(rejected.length > 100 ? [`... and more: fix these first.`] : []),
      "Fix the rows, or pass --skip-invalid to issue the valid rows and write the rejected ones to a file.",
    ]);
  }
  if (valid.length === 0) throw new InvalidInputError(`No row of ${inputName} is valid; nothing was anchored.`, describeRejected(rejected).slice(0, 100));
  for (const value of [options.validFrom, options.validUntil]) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
      throw new InvalidInputError(`${value} is not a date-time with a time zone.`, ["Write --valid-from / --valid-until like 2026-09-01T00:00:00Z."]);
    }
  }

  checkStacking(options.formatVersion ?? 2, options.pathway, valid.map((entry) => entry.recipient));
  return { achievement, valid, rejected };
}
