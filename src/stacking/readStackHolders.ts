import { readFile } from "node:fs/promises";
import path from "node:path";
import { readUtf8File } from "../fs/readStrictJsonFile.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { CsvSyntaxError, parseCsv } from "../issuer/parseCsv.ts";
import type { ComponentInput, StackHolder } from "./stackCredentials.ts";

const COLUMNS = ["name", "email", "components"] as const;
const FIX = "Write one line per holder under the header name,email,components; components are credential files (.json, or baked .png/.svg) separated by ';', relative to the holders file.";

/** Reads component files (JSON or baked badges) as given: a file that cannot be read is named, with why. */
export async function readComponentFiles(files: readonly string[]): Promise<ComponentInput[]> {
  const problems: string[] = [];
  const inputs = await Promise.all(
    files.map(async (file) => {
      try {
        return { source: file, content: new Uint8Array(await readFile(file)) };
      } catch (error) {
        problems.push(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}).`);
        return { source: file, content: new Uint8Array() };
      }
    }),
  );
  if (problems.length > 0) throw new InvalidInputError("Some component credentials cannot be read; nothing was anchored.", problems);
  return inputs;
}

/**
 * Reads a holders file for `credreg stack --input`: CSV with the columns name, email (at least one of them per line)
 * and components (credential files separated by `;`, relative to the holders file's folder).
 */
export async function readStackHolders(file: string): Promise<StackHolder[]> {
  const text = await readUtf8File(file, "The holders file", FIX);
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InvalidInputError(`${file} is not valid CSV (${error.message}).`, [FIX]);
    throw error;
  }
  const [header, ...rows] = records;
  if (header === undefined || rows.length === 0) throw new InvalidInputError(`${file} has no holders.`, [FIX]);
  const columns = header.fields.map((field) => field.trim());
  const unknown = columns.filter((column) => !(COLUMNS as readonly string[]).includes(column));
  if (unknown.length > 0 || !columns.includes("components")) throw new InvalidInputError(`${file} line ${header.line}: the columns must be ${COLUMNS.join(", ")}${unknown.length > 0 ? ` (unknown: ${unknown.join(", ")})` : " (components is missing)"}.`, [FIX]);
  const folder = path.dirname(file);
  const problems: string[] = [];
  const holders = await Promise.all(
    rows.map(async (row) => {
      const value = (column: (typeof COLUMNS)[number]) => {
        const index = columns.indexOf(column);
        const field = index === -1 ? "" : (row.fields[index] ?? "").trim();
        return field === "" ? undefined : field;
      };
      const files = (value("components") ?? "").split(";").map((entry) => entry.trim()).filter((entry) => entry !== "");
      if (files.length === 0) problems.push(`${file} line ${row.line}: no component files.`);
      if (value("name") === undefined && value("email") === undefined) problems.push(`${file} line ${row.line}: needs a name and/or an email.`);
      try {
        return { name: value("name"), email: value("email"), components: await readComponentFiles(files.map((entry) => path.resolve(folder, entry))) };
      } catch (error) {
        if (error instanceof InvalidInputError) problems.push(...(error.metaMessages ?? []).map((message) => `${file} line ${row.line}: ${message}`));
        else throw error;
        return { name: value("name"), email: value("email"), components: [] };
      }
    }),
  );
  if (problems.length > 0) throw new InvalidInputError(`${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was anchored.`, [...problems.slice(0, 100), FIX]);
  return holders;
}
