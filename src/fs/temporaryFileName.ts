import { randomBytes } from "node:crypto";

/**
 * The temporary file names of our atomic writes: `<file>.<pid>.tmp`, then `<file>.<pid>.<random hex>.tmp` when that
 * name is taken. Group 1 is the writing process's id (stale files are those of processes that are gone).
 */
export const TEMPORARY_FILE_PATTERN = /^.+\.(\d+)(?:\.[0-9a-f]+)?\.tmp$/;

/** Candidate `attempt` (0, 1, ...) of the temporary name beside `file`; only the first is predictable. */
export function temporaryFileName(file: string, attempt: number): string {
  return attempt === 0 ? `${file}.${process.pid}.tmp` : `${file}.${process.pid}.${randomBytes(8).toString("hex")}.tmp`;
}
