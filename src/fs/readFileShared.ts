import { closeSync, openSync, readSync } from "node:fs";

/** Bytes kept between calls: credential files are a few kilobytes; larger files get a buffer of their own. */
const SCRATCH_BYTES = 256 * 1024;
let scratch: Buffer | undefined;

/**
 * Reads a whole file synchronously into a buffer this module reuses: the returned bytes are a view that the next
 * call overwrites, so the caller decodes (or copies) them before reading another file. Many small files are read
 * this way at a fraction of `readFileSync`'s cost (no fstat, no allocation per file). Files larger than the scratch
 * buffer come back in a buffer of their own. Throws like `readFileSync` (ENOENT, EISDIR, EACCES...).
 */
export function readFileShared(file: string): Buffer {
  scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
  const fd = openSync(file, "r");
  try {
    let length = 0;
    while (length < scratch.length) {
      const read = readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) return scratch.subarray(0, length);
      length += read;
    }
    // Larger than the scratch buffer: the rest in chunks, joined into a buffer that is the caller's own.
    const chunks = [Buffer.from(scratch.subarray(0, length))];
    for (;;) {
      const chunk = Buffer.allocUnsafe(SCRATCH_BYTES);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) return Buffer.concat(chunks);
      chunks.push(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
}
