import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { rename, rm, writeFile } from "node:fs/promises";

/** A temporary name beside `file`, unique to this process. */
const temporaryOf = (file: string) => `${file}.${process.pid}.tmp`;

/** Writes `content` to `file` through a temporary file and a rename: readers see the old file or the new one, never half. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temporary = temporaryOf(file);
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Streams `lines` (each written with a trailing newline) to `file` through a temporary file and a rename, with
 * back-pressure, so that a million lines never sit in memory at once and a crash never leaves half a file.
 */
export async function writeLinesAtomically(file: string, lines: Iterable<string>): Promise<void> {
  const temporary = temporaryOf(file);
  const out = createWriteStream(temporary, { encoding: "utf8" });
  try {
    for (const line of lines) if (!out.write(`${line}\n`)) await once(out, "drain");
    out.end();
    await once(out, "finish");
    await rename(temporary, file);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
