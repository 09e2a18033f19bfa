import { crc32, inflateRawSync } from "node:zlib";
import { ZipArchiveError } from "../errors/portfolioErrors.ts";
import { isCredentialFileName } from "../verifier/isCredentialFileName.ts";

/** What one ZIP archive may hold before it is refused whole (a ZIP bomb, or simply too much for one candidate). */
export type ZipLimits = {
  /** The archive's own size. */
  readonly maxArchiveBytes: number;
  /** Credential files taken from it (other files are listed as ignored, never inflated). */
  readonly maxFiles: number;
  /** One credential file, inflated. */
  readonly maxFileBytes: number;
  /** Every credential file together, inflated. */
  readonly maxTotalBytes: number;
};

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxArchiveBytes: 256 * 1024 * 1024,
  maxFiles: 20_000,
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
};

/** One credential file of an archive: its path inside the archive and its inflated bytes (CRC-32 checked). */
export type ZipFile = { readonly name: string; readonly bytes: Uint8Array };

/** The credential files of an archive, in the archive's order, and the names of the entries that were not taken. */
export type ZipContents = { readonly files: readonly ZipFile[]; readonly ignored: readonly string[] };

type CentralEntry = { name: string; flags: number; method: number; crc: number; compressedSize: number; size: number; localOffset: number };

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const ZIP64_LOCATOR = 0x07064b50;
const STORED = 0;
const DEFLATED = 8;

const mib = (bytes: number) => (bytes < 1024 * 1024 ? `${bytes.toLocaleString("en-US")} bytes` : `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`);
const count = (value: number) => value.toLocaleString("en-US");

/** Refuses an archive larger than `limits.maxArchiveBytes` (call it with the file's size before reading it). */
export function checkZipArchiveSize(size: number, name = "The ZIP archive", limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  if (size > limits.maxArchiveBytes) throw new ZipArchiveError(`${name} is ${mib(size)}; at most ${mib(limits.maxArchiveBytes)} are read.`, ["Split the credentials over several archives."]);
}

/** Directories, macOS resource forks (`__MACOSX/`, `._name`) and hidden files: never a credential, never reported. */
function isClutter(name: string): boolean {
  if (name.endsWith("/")) return true;
  const parts = name.split("/");
  return parts[0] === "__MACOSX" || parts.some((part) => part.startsWith("."));
}

/**
 * Reads the credential files of a ZIP archive in memory, refusing what could exhaust the reader: each entry is
 * found through the central directory, bounds-checked, inflated no further than the size it declares (a larger
 * stream is refused, not cut), and checked against its CRC-32; the archive, the number of credential files, each
 * file and their total are capped ({@link ZipLimits}). Credential files are chosen by name as a folder's are
 * ({@link isCredentialFileName}); ZIP64, encrypted entries and compression other than stored or deflate are refused
 * with a sentence that says so. Works in the browser too (node:zlib is bundled as a small stand-in).
 */
export function readZipArchive(bytes: Uint8Array, name = "The ZIP archive", limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipContents {
  const fail = (message: string, fix = "Make the archive again with a standard ZIP tool (zip, Windows' \"Compress to ZIP file\", macOS' \"Compress\").") => new ZipArchiveError(`${name} ${message}`, [fix]);
  checkZipArchiveSize(bytes.length, name, limits);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const decoder = new TextDecoder("utf-8");

  // The end of central directory record: the last 22 bytes, or up to 65,535 bytes earlier (after a comment).
  let end = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at -= 1) {
    if (u32(at) === END_OF_CENTRAL_DIRECTORY && at + 22 + u16(at + 20) === bytes.length) {
      end = at;
      break;
    }
  }
  if (end < 0) throw fail("is not a ZIP archive (no end of central directory record).", "Choose a .zip file, or the credential files themselves.");
  if (end >= 20 && u32(end - 20) === ZIP64_LOCATOR) throw fail("is a ZIP64 archive, which is not read here.", "Make an ordinary ZIP archive (fewer than 65,535 files, under 4 GiB).");
  const entryCount = u16(end + 10);
  const directorySize = u32(end + 12);
  const directoryOffset = u32(end + 16);
  if (u16(end + 4) !== 0 || u16(end + 6) !== 0 || u16(end + 8) !== entryCount) throw fail("spans several disks, which is not read here.", "Make a single-file ZIP archive.");
  if (directoryOffset + directorySize > end) throw fail("is damaged: its central directory lies outside the file.");

  const entries: CentralEntry[] = [];
  let at = directoryOffset;
  for (let index = 0; index < entryCount; index += 1) {
    if (at + 46 > end || u32(at) !== CENTRAL_FILE_HEADER) throw fail(`is damaged: entry ${index + 1} of its central directory is not where it should be.`);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (next > end) throw fail(`is damaged: entry ${index + 1} of its central directory runs past it.`);
    entries.push({
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      flags: u16(at + 8),
      method: u16(at + 10),
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      localOffset: u32(at + 42),
    });
    at = next;
  }

  const names = new Set(entries.map((entry) => entry.name));
  const ignored: string[] = [];
  const chosen: CentralEntry[] = [];
  for (const entry of entries) {
    if (isClutter(entry.name)) continue;
    if (isCredentialFileName(entry.name, names)) chosen.push(entry);
    else ignored.push(entry.name);
  }
  if (chosen.length > limits.maxFiles) throw fail(`holds ${count(chosen.length)} credential files; at most ${count(limits.maxFiles)} are read.`, "Split the credentials over several archives.");
  const declared = chosen.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > limits.maxTotalBytes) throw fail(`would inflate to ${mib(declared)} of credential files; at most ${mib(limits.maxTotalBytes)} are read.`, "Split the credentials over several archives.");

  const files = chosen.map((entry): ZipFile => {
    const what = `${name}'s entry ${entry.name}`;
    if ((entry.flags & 0x1) !== 0) throw new ZipArchiveError(`${what} is encrypted.`, ["Make the archive without a password: a verifier must read every credential."]);
    if (entry.method !== STORED && entry.method !== DEFLATED) throw new ZipArchiveError(`${what} is compressed with method ${entry.method}; only stored (0) and deflate (8) are read.`, ["Make the archive again with a standard ZIP tool, with the default compression."]);
    if (entry.size > limits.maxFileBytes) throw new ZipArchiveError(`${what} would inflate to ${mib(entry.size)}; a credential file may be at most ${mib(limits.maxFileBytes)}.`, ["Leave files other than credentials out of the archive."]);
    const local = entry.localOffset;
    if (local + 30 > directoryOffset || u32(local) !== LOCAL_FILE_HEADER) throw fail(`is damaged: the data of ${entry.name} is not where its central directory says.`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + entry.compressedSize > directoryOffset) throw fail(`is damaged: the data of ${entry.name} runs past the end of the files.`);
    const data = bytes.subarray(start, start + entry.compressedSize);
    let content: Uint8Array;
    if (entry.method === STORED) {
      if (entry.compressedSize !== entry.size) throw fail(`is damaged: ${entry.name} is stored, but its two sizes differ.`);
      content = data.slice();
    } else {
      try {
        // Never past the declared size: a stream that inflates further is a bomb or damage, refused either way.
        content = new Uint8Array(inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) }));
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
          throw new ZipArchiveError(`${what} inflates to more than the ${count(entry.size)} bytes it declares (a ZIP bomb, or a damaged archive); nothing was verified.`, ["Make the archive again with a standard ZIP tool."]);
        }
        throw fail(`is damaged: ${entry.name} does not inflate (${(error as Error).message}).`);
      }
      if (content.length !== entry.size) throw fail(`is damaged: ${entry.name} inflates to ${count(content.length)} bytes, not the ${count(entry.size)} it declares.`);
    }
    if (crc32(content) >>> 0 !== entry.crc) throw fail(`is damaged: ${entry.name} fails its CRC-32 check.`);
    return { name: entry.name, bytes: content };
  });
  return { files, ignored };
}
