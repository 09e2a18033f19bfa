/** A file of credentials as lines of JSON, split into one credential per line (`credreg issue --format ndjson`). */
export const isNdjsonFileName = (name: string) => name.endsWith(".ndjson") || name.endsWith(".jsonl");

/**
 * Whether a file among `siblings` (the names of the files beside it, with the same directory prefix) holds a
 * credential to verify: a `.json` or `.ndjson` file (not `.jsonl`: `credreg issue` writes its batch record as
 * `batch.jsonl`), or a baked `.png`/`.svg` badge without a `.json` of the same name beside it (`credreg issue` writes
 * both for one credential: it is verified once). The rule for a folder and for a ZIP archive.
 */
export function isCredentialFileName(name: string, siblings: ReadonlySet<string>): boolean {
  if (name.endsWith(".json") || name.endsWith(".ndjson")) return true;
  const baked = /\.(png|svg)$/i.exec(name);
  return baked !== null && !siblings.has(`${name.slice(0, -baked[0].length)}.json`);
}
