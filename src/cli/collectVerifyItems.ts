import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { sniffBadgeImage } from "../credential/v2/badge/sniffBadgeImage.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import type { ShardItem } from "../verifier/VerificationShard.ts";

/** Splits NDJSON bytes into one item per line; bytes that are not UTF-8 make one unreadable item (the whole file). */
function ndjsonItems(source: string, bytes: Uint8Array, firstPosition: number): ShardItem[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return [{ position: firstPosition, source, content: bytes }];
  }
  const items: ShardItem[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() !== "") items.push({ position: firstPosition + items.length, source: `${source}:${index + 1}`, content: line });
  });
  return items;
}

const isNdjson = (file: string) => file.endsWith(".ndjson") || file.endsWith(".jsonl");

/**
 * What to verify, in order: files (each read later, by the thread that checks it; a baked PNG or SVG badge too),
 * every .json and .ndjson below a directory (walked in name order) and every baked .png/.svg without a .json of the
 * same name beside it, NDJSON files split into lines, and `-` (standard input: JSON, NDJSON or a baked badge).
 */
export async function collectVerifyItems(paths: readonly string[], stdin: () => Promise<Uint8Array>): Promise<ShardItem[]> {
  const items: ShardItem[] = [];
  const addFile = async (file: string) => {
    if (isNdjson(file)) items.push(...ndjsonItems(file, await readFile(file), items.length));
    else items.push({ position: items.length, source: file, path: file });
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
      await addFile(target);
      return;
    }
    const entries = (await readdir(target, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set(entries.map((entry) => entry.name));
    for (const entry of entries) {
      const child = path.join(target, entry.name);
      // A baked badge (credential-000002.svg or .png) counts unless its credential's JSON file is beside it (the same
      // credential, written by `credreg issue`): each credential is verified once.
      const baked = /\.(png|svg)$/i.exec(entry.name);
      const credentialFile =
        entry.name.endsWith(".json") || entry.name.endsWith(".ndjson") || (baked !== null && !names.has(`${entry.name.slice(0, -baked[0].length)}.json`));
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

