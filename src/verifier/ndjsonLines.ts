/** One credential of an NDJSON file: `<file>:<line>` and the line's text, or the whole file when it is not UTF-8. */
export type NdjsonLine = { readonly source: string; readonly content: string | Uint8Array };

/**
 * The credentials of NDJSON bytes, one per non-blank line, each named `<source>:<line number>`; bytes that are not
 * UTF-8 give one entry with all of them (the verifier then fails its format step: not UTF-8).
 */
export function ndjsonLines(source: string, bytes: Uint8Array): NdjsonLine[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return [{ source, content: bytes }];
  }
  const lines: NdjsonLine[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() !== "") lines.push({ source: `${source}:${index + 1}`, content: line });
  });
  return lines;
}
