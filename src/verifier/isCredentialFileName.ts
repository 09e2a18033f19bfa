/** Where a path's file name starts (after the last `/`, or the last `\` for a Windows path). */
const baseStart = (name: string) => Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1;

/** A file of credentials as lines of JSON (what `credreg issue --format ndjson` writes). */
export const isNdjsonFileName = (name: string) => /\.(ndjson|jsonl)$/i.test(name.slice(baseStart(name)));

/**
 * Whether a file among `siblings` (the names of the files beside it, with the same directory prefix) holds a
 * credential to verify: a `.json` file, an NDJSON file, or a baked `.png`/`.svg` badge without a `.json` of the same
 * name beside it (`credreg issue` writes both for one credential: it is verified once). The rule for a folder and for
 * a ZIP archive.
 */
export function isCredentialFileName(name: string, siblings: ReadonlySet<string>): boolean {
  if (/\.json$/i.test(name) || isNdjsonFileName(name)) return true;
  const baked = /\.(png|svg)$/i.exec(name);
  return baked !== null && !siblings.has(`${name.slice(0, -baked[0].length)}.json`);
}
