import { inflateSync } from "node:zlib";
import { BakedCredentialError } from "../../../errors/badgeErrors.ts";

/** The fields of a PNG `iTXt` chunk (PNG §11.3.3.4), its text decompressed when it was compressed. */
export type ItxtFields = {
  readonly keyword: string;
  readonly compressed: boolean;
  readonly languageTag: string;
  readonly translatedKeyword: string;
  readonly text: string;
};

/** Compressed text may not inflate past this: a baked credential is kilobytes; this stops a decompression bomb. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/**
 * Decodes the data of an `iTXt` chunk: keyword (Latin-1), compression flag and method, language tag, translated
 * keyword and text (UTF-8, inflated with zlib when the flag is 1 and the method 0). Throws
 * {@link BakedCredentialError} (`unreadable`) for a malformed chunk, an unknown compression, or text that is not UTF-8.
 */
export function decodeItxt(data: Uint8Array): ItxtFields {
  const unreadable = (problem: string) =>
    new BakedCredentialError("unreadable", `The PNG's iTXt chunk cannot be read: ${problem}.`, "Bake the credential again: an iTXt chunk holds a keyword, a NUL, the compression flag and method, a language tag, a NUL, a translated keyword, a NUL and the UTF-8 text.");
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 1 || keywordEnd > 79) throw unreadable(keywordEnd < 0 ? "it has no NUL after the keyword" : `its keyword is ${keywordEnd} bytes long, a keyword takes 1 to 79`);
  if (data.length < keywordEnd + 3) throw unreadable("it ends before the compression flag and method");
  const flag = data[keywordEnd + 1]!;
  const method = data[keywordEnd + 2]!;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  if (languageEnd < 0) throw unreadable("it has no NUL after the language tag");
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) throw unreadable("it has no NUL after the translated keyword");
  if (flag > 1) throw unreadable(`its compression flag is ${flag}; it must be 0 (uncompressed) or 1 (compressed)`);
  if (flag === 1 && method !== 0) throw unreadable(`its compression method is ${method}; PNG defines only 0 (zlib deflate)`);
  let textBytes: Uint8Array = data.subarray(translatedEnd + 1);
  if (flag === 1) {
    try {
      textBytes = inflateSync(textBytes, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (error) {
      throw unreadable(`its compressed text does not inflate (${(error as Error).message})`);
    }
  }
  return {
    keyword: latin1(data.subarray(0, keywordEnd)),
    compressed: flag === 1,
    languageTag: utf8(data.subarray(keywordEnd + 3, languageEnd), unreadable, "language tag"),
    translatedKeyword: utf8(data.subarray(languageEnd + 1, translatedEnd), unreadable, "translated keyword"),
    text: utf8(textBytes, unreadable, "text"),
  };
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function utf8(bytes: Uint8Array, unreadable: (problem: string) => Error, what: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw unreadable(`its ${what} is not valid UTF-8`);
  }
}
