import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { sniffBadgeImage } from "../credential/v2/badge/sniffBadgeImage.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { checkZipArchiveSize, readZipArchive } from "../portfolio/readZipArchive.ts";
import { isCredentialFileName, isNdjsonFileName } from "../verifier/isCredentialFileName.ts";
import { ndjsonLines } from "../verifier/ndjsonLines.ts";
import type { ShardItem } from "../verifier/VerificationShard.ts";

/** NDJSON bytes as items, one per line, numbered from `firstPosition`. */
const ndjsonItems = (source: string, bytes: Uint8Array, firstPosition: number): ShardItem[] =>
  ndjsonLines(source, bytes).map((line, index) => ({ position: firstPosition + index, source: line.source, content: line.content }));

/**
 * What to verify, in order: files (each read later, by the thread that checks it; a baked PNG or SVG badge too),
 * every .json and .ndjson below a directory (walked in name order) and every baked .png/.svg without a .json of the
 * same name beside it, NDJSON files split into lines, a ZIP archive named directly (its credential files by the same
 * rule, read with {@link readZipArchive}: refused whole when damaged or past its limits), and `-` (standard input:
 * JSON, NDJSON or a baked badge).
 */
export async function collectVerifyItems(paths: readonly string[], stdin: () => Promise<Uint8Array>): Promise<ShardItem[]> {
  const items: ShardItem[] = [];
  const addFile = async (file: string) => {
    if (isNdjsonFileName(file)) items.push(...ndjsonItems(file, await readFile(file), items.length));
    else items.push({ position: items.length, source: file, path: file });
  };
  const addArchive = async (file: string, size: number) => {
    const name = `The ZIP archive ${file}`;
    checkZipArchiveSize(size, name); // before it is read into memory
    const { files } = readZipArchive(await readFile(file), name);
    for (const entry of files) {
      const source = `${file}:${entry.name}`;
      if (isNdjsonFileName(entry.name)) items.push(...ndjsonItems(source, entry.bytes, items.length));
      else items.push({ position: items.length, source, content: entry.bytes });
    }
  };
  const collect = async (target: string, named: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(target);
    } catch {
      if (named) throw new InvalidInputError(`${target} does not exist.`, ["Give credential files, directories of them, or - for standard input."]);
      return;
    }
    if (!info.isDirectory()) {
      await (named && /\.zip$/i.test(target) ? addArchive(target, info.size) : addFile(target));
      return;
    }
    const entries = (await readdir(target, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((entry) => entry.name));
    for (const entry of entries) {
      const child = path.join(target, entry.name);
      // A baked badge (credential-000002.svg or .png) counts unless its credential's JSON file is beside it (the same
      // credential, written by `credreg issue`): each credential is verified once.
      const credentialFile = isCredentialFileName(entry.name, names);
      // A symbolic link is followed (to a folder, or to a credential file), as a path given directly would be.
      const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(child).catch(() => undefined))?.isDirectory() === true);
      if (isDirectory) await collect(child, false);
      else if (credentialFile) await addFile(child);
    }
  };
  for (const target of paths) {
    if (target === "-") {
      const bytes = await stdin();
      const trimmed = Buffer.from(bytes).toString("utf8").trim();
      const badge = sniffBadgeImage(bytes).kind !== "other";
      if (!badge && !trimmed.startsWith("[") && trimmed.includes("\n{")) items.push(...ndjsonItems("(stdin)", bytes, items.length));
      else items.push({ position: items.length, source: "(stdin)", content: bytes });
      continue;
    }
    await collect(target, true);
  }
  return items;
}

