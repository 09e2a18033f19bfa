import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
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
 * What to verify, in order: files (each read later, by the thread that checks it), every .json and .ndjson below a
 * directory (walked in name order), NDJSON files split into lines, and `-` (standard input: JSON or NDJSON).
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
    for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = path.join(target, entry.name);
      const credentialFile = entry.name.endsWith(".json") || entry.name.endsWith(".ndjson");
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
      if (!trimmed.startsWith("[") && trimmed.includes("\n{")) items.push(...ndjsonItems("(stdin)", bytes, items.length));
      else items.push({ position: items.length, source: "(stdin)", content: bytes });
      continue;
    }
    await collect(target, true);
  }
  return items;
}

