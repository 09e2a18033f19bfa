import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { FileWriteError } from "../errors/fileErrors.ts";
import { removeStaleTemporaryFiles } from "./removeStaleTemporaryFiles.ts";
import { temporaryFileName } from "./temporaryFileName.ts";

/** Create, never open an existing path, never follow a symlink (O_EXCL already refuses one; O_NOFOLLOW says so). */
const CREATE_EXCLUSIVELY = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const ATTEMPTS = 5;
/** Lines are written in chunks of about this many characters. */
const CHUNK = 1 << 20;

export type AtomicWriteOptions = {
  /**
   * Remove stale temporary files beside `file` first (default true). Pass false when writing many files into one
   * folder after sweeping it once with {@link removeStaleTemporaryFiles}.
   */
  readonly removeStale?: boolean | undefined;
  /**
   * Fsync the file before the rename and the folder after it (default true). Pass false only when writing many files
   * that are trusted after one {@link syncFileSystem} of their folder (and rewritten if a crash comes first).
   */
  readonly sync?: boolean | undefined;
};

/** Creates a new temporary file beside `file`, exclusively: an existing file or a planted symlink is never opened. */
async function createTemporary(file: string): Promise<{ temporary: string; handle: FileHandle }> {
  const taken: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const temporary = temporaryFileName(file, attempt);
    try {
      return { temporary, handle: await open(temporary, CREATE_EXCLUSIVELY, 0o666) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ELOOP") throw error;
      taken.push(temporary);
    }
  }
  throw new FileWriteError(`Could not write ${file}: every temporary name beside it is already taken.`, {
    metaMessages: ["Remove the *.tmp files beside it (or find out who creates them), then run the command again.", ...taken.map((name) => `taken: ${name}`)],
  });
}

async function writeAll(handle: FileHandle, content: string | Uint8Array): Promise<void> {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  let offset = 0;
  while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
}

/** Makes renames in `dir` durable: fsync of the directory (not possible, nor needed, on Windows). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(process.platform === "win32" && (code === "EPERM" || code === "EISDIR" || code === "EBADF"))) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes through a new temporary file beside `file` (created exclusively), fsyncs it, renames it over `file` and
 * fsyncs the folder: when this resolves the content is on disk under its name; readers see the old file or the new
 * one, never half; a crash leaves at most a temporary file, removed by the next write beside it.
 */
async function writeThroughTemporary(file: string, options: AtomicWriteOptions, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  if (options.removeStale !== false) await removeStaleTemporaryFiles(path.dirname(file), file);
  const { temporary, handle } = await createTemporary(file);
  let isOpen = true;
  try {
    await write(handle);
    if (options.sync !== false) await handle.sync();
    isOpen = false;
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    if (isOpen) await handle.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
  if (options.sync !== false) await syncDirectory(path.dirname(file));
}

/** Writes `content` to `file` atomically and durably (see {@link writeLinesAtomically}). */
export async function writeFileAtomically(file: string, content: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await writeThroughTemporary(file, options, (handle) => writeAll(handle, content));
}

/**
 * Streams `lines` (each written with a trailing newline) to `file` through a temporary file and a rename, in chunks,
 * so that a million lines never sit in memory at once and a crash never leaves half a file. The temporary file is
 * created exclusively (never through a symlink), fsynced before the rename, and the folder fsynced after it.
 */
export async function writeLinesAtomically(file: string, lines: Iterable<string>, options: AtomicWriteOptions = {}): Promise<void> {
  await writeThroughTemporary(file, options, async (handle) => {
    let chunk = "";
    for (const line of lines) {
      chunk += `${line}\n`;
      if (chunk.length >= CHUNK) {
        await writeAll(handle, chunk);
        chunk = "";
      }
    }
    if (chunk !== "") await writeAll(handle, chunk);
  });
}

/**
 * Makes everything written so far in `dir`'s file system durable at once: `syncfs(2)` through coreutils' `sync -f`
 * (one call instead of one fsync per file), else an fsync of each of `files` and of `dir`.
 */
export async function syncFileSystem(dir: string, files: readonly string[]): Promise<void> {
  const synced = await new Promise<boolean>((resolve) => {
    execFile("sync", ["-f", dir], { timeout: 120_000 }, (error) => resolve(error === null));
  });
  if (synced) return;
  for (let start = 0; start < files.length; start += 64) {
    await Promise.all(
      files.slice(start, start + 64).map(async (file) => {
        const handle = await open(file, constants.O_RDONLY);
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }),
    );
  }
  await syncDirectory(dir);
}
