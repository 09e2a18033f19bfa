import path from "node:path";
import { recipientInputSchema, type RecipientInput } from "../credential/issuanceInputSchema.ts";
import { validateWith } from "../credential/validateCredential.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { readStrictJsonFile, readUtf8File } from "../fs/readStrictJsonFile.ts";
import type { Problem } from "../errors/credentialErrors.ts";
import { CsvSyntaxError, parseCsv } from "./parseCsv.ts";

/** One input row: where it came from and what it says. */
export type RecipientRow = {
  /** `line 7` (CSV) or `$[5]` (JSON): how an error names the row. */
  readonly where: string;
  /** The row's 1-based line in a CSV file, or its 0-based position in a JSON array. */
  readonly position: number;
  /** The row as read (CSV cells mapped to recipient members), before validation. */
  readonly raw: Record<string, unknown>;
};

/** A row that failed validation, with every problem. */
export type RejectedRow = RecipientRow & { readonly problems: readonly Problem[] };

export type ReadRecipients = {
  readonly valid: { readonly row: RecipientRow; readonly recipient: RecipientInput }[];
  readonly rejected: RejectedRow[];
};

/** CSV columns and the recipient member each one fills. */
export const CSV_COLUMNS = {
  name: "name",
  email: "email",
  validFrom: "validFrom",
  validUntil: "validUntil",
  creditsEarned: "creditsEarned",
  grade: "grade",
  gradeDescription: "gradeDescription",
  evidenceUrl: "evidenceUrl",
  evidenceNarrative: "evidenceNarrative",
} as const;

const NUMBER = /^-?\d+(\.\d+)?$/;

function rowFromCells(header: string[], cells: string[]): Record<string, unknown> {
  const cell = (name: string) => {
    const at = header.indexOf(name);
    const value = at < 0 ? undefined : cells[at]?.trim();
    return value === "" ? undefined : value;
  };
  const row: Record<string, unknown> = {};
  for (const name of ["name", "email", "validFrom", "validUntil"] as const) {
    const value = cell(name);
    if (value !== undefined) row[name] = value;
  }
  const credits = cell("creditsEarned");
  if (credits !== undefined) row.creditsEarned = NUMBER.test(credits) ? Number(credits) : credits;
  const grade = cell("grade");
  if (grade !== undefined) {
    const description = cell("gradeDescription");
    row.result = [{ type: ["Result"], value: grade, ...(description === undefined ? {} : { resultDescription: description }) }];
  }
  const evidenceUrl = cell("evidenceUrl");
  const evidenceNarrative = cell("evidenceNarrative");
  if (evidenceUrl !== undefined || evidenceNarrative !== undefined) {
    row.evidence = [{ type: ["Evidence"], ...(evidenceUrl === undefined ? {} : { id: evidenceUrl }), ...(evidenceNarrative === undefined ? {} : { narrative: evidenceNarrative }) }];
  }
  return row;
}

function csvRows(file: string, text: string): RecipientRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InvalidInputError(`${file} is not valid CSV (${error.message}).`, ["Fix the file and run the command again."]);
    throw error;
  }
  const [headerRecord, ...dataRecords] = records;
  if (headerRecord === undefined) throw new InvalidInputError(`${file} is empty.`, [`Give a header line (${Object.keys(CSV_COLUMNS).join(",")}) and one line per recipient.`]);
  const header = headerRecord.fields.map((name) => name.trim());
  const unknown = header.filter((name) => !(name in CSV_COLUMNS));
  if (unknown.length > 0) {
    throw new InvalidInputError(`${file} line ${headerRecord.line}: unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((name) => JSON.stringify(name)).join(", ")}.`, [
      `Known columns: ${Object.keys(CSV_COLUMNS).join(", ")}.`,
    ]);
  }
  const duplicate = header.find((name, at) => header.indexOf(name) !== at);
  if (duplicate !== undefined) throw new InvalidInputError(`${file} line ${headerRecord.line}: column "${duplicate}" appears twice.`, ["Keep one."]);
  return dataRecords.map((record) => {
    if (record.fields.length > header.length) {
      return { where: `line ${record.line}`, position: record.line, raw: { __tooManyCells: record.fields.length } };
    }
    return { where: `line ${record.line}`, position: record.line, raw: rowFromCells(header, record.fields) };
  });
}

/**
 * Reads an issuer's recipients from a CSV file (header line; columns name, email, validFrom, validUntil,
 * creditsEarned, grade, gradeDescription, evidenceUrl, evidenceNarrative) or a JSON array of recipient objects, and
 * validates every row. Returns the valid rows and every rejected row with its problems (line numbers for CSV,
 * positions for JSON, JSON paths inside the row). A file that cannot be read at all is an {@link InvalidInputError}.
 */
export async function readRecipients(file: string): Promise<ReadRecipients> {
  let rows: RecipientRow[];
  const extension = path.extname(file).toLowerCase();
  if (extension === ".csv") rows = csvRows(file, await readUtf8File(file, "The recipients file", "Check the path given to --input."));
  else if (extension === ".json") {
    const value = await readStrictJsonFile(file, "The recipients file", "Give a JSON array of recipients, or a CSV file.");
    if (!Array.isArray(value)) throw new InvalidInputError(`${file} must hold a JSON array of recipients.`, ['Example: [{ "name": "Ada Lovelace", "email": "ada@example.org" }]']);
    rows = value.map((raw, position) => ({ where: `$[${position}]`, position, raw: raw as Record<string, unknown> }));
  } else {
    throw new InvalidInputError(`${file}: the recipients file must end in .csv or .json.`, ["Rename it, or convert it."]);
  }
  if (rows.length === 0) throw new InvalidInputError(`${file} holds no recipient.`, ["Add at least one recipient row."]);
  return validateRecipientRows(rows);
}

/** Recipients given as values (an API request's array): rows named by their JSON position. */
export function recipientsFromValues(values: readonly unknown[]): ReadRecipients {
  return validateRecipientRows(values.map((raw, position) => ({ where: `$[${position}]`, position, raw: raw as Record<string, unknown> })));
}

/** Validates every row: the valid ones with their recipient, and every rejected one with all its problems. */
export function validateRecipientRows(rows: readonly RecipientRow[]): ReadRecipients {
  const valid: ReadRecipients["valid"] = [];
  const rejected: RejectedRow[] = [];
  for (const row of rows) {
    if (typeof row.raw === "object" && row.raw !== null && "__tooManyCells" in row.raw) {
      rejected.push({ ...row, problems: [{ path: "$", message: `has ${String(row.raw.__tooManyCells)} cells, more than the header's columns` }] });
      continue;
    }
    const validation = validateWith<RecipientInput>(recipientInputSchema, row.raw);
    if (validation.ok) valid.push({ row, recipient: validation.value });
    else rejected.push({ ...row, problems: validation.problems });
  }
  return { valid, rejected };
}
