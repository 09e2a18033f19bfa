import { readFile } from "node:fs/promises";
import { strictJsonValue } from "../credential/strictJsonValue.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";

/**
 * Reads a JSON file strictly ({@link strictJsonValue}: UTF-8, then I-JSON: no duplicate member names, no lone
 * surrogates, no numbers that change when parsed) and returns its value. Anything else is an {@link InvalidInputError} naming the file, every
 * problem with its JSON path, and `fix`: nothing ambiguous is ever issued, revoked or audited.
 */
export async function readStrictJsonFile(file: string, what: string, fix: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InvalidInputError(`Cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, [fix]);
  }
  return strictJsonValue(bytes, `${what} ${file}`, fix);
}

/** The text of a file that must be UTF-8 (a CSV): invalid bytes are an {@link InvalidInputError}, never replaced. */
export async function readUtf8File(file: string, what: string, fix: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InvalidInputError(`Cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, [fix]);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new InvalidInputError(`${what} ${file} is not UTF-8 text (invalid bytes at line ${at.line}).`, ["Save the file as UTF-8 (most spreadsheet programs offer \"CSV UTF-8\").", fix]);
  }
}

function firstInvalidUtf8(bytes: Buffer): { line: number } {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  for (let at = 0; at <= bytes.length; at += 1) {
    if (at === bytes.length || bytes[at] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, at));
      } catch {
        return { line };
      }
      line += 1;
      start = at + 1;
    }
  }
  return { line };
}
