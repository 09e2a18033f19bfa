import { lstat, readdir, unlink } from "node:fs/promises";
import path from "node:path";
import { TEMPORARY_FILE_PATTERN } from "./temporaryFileName.ts";

/** A temporary file older than this is stale even if its process id is (again) in use. */
const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temporary files that atomic writes left in `dir` (only those beside `forFile` when given): files of
 * processes that are gone or older than a day, and anything at a temporary name that is not a regular file (a
 * planted symlink is unlinked, never followed). Returns the paths removed. A missing `dir` has nothing to remove.
 */
export async function removeStaleTemporaryFiles(dir: string, forFile?: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const prefix = forFile === undefined ? "" : `${path.basename(forFile)}.`;
  const removed: string[] = [];
  for (const name of names) {
    const match = name.startsWith(prefix) ? TEMPORARY_FILE_PATTERN.exec(name) : null;
    if (match === null) continue;
    const entry = path.join(dir, name);
    const stats = await lstat(entry).catch(() => undefined);
    if (stats === undefined || stats.isDirectory()) continue;
    const stale = !stats.isFile() || !isRunning(Number(match[1])) || Date.now() - stats.mtimeMs > STALE_AFTER_MS;
    if (!stale) continue;
    try {
      await unlink(entry);
      removed.push(entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return removed;
}
