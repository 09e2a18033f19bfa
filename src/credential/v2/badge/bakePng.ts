import { PNG_CREDENTIAL_KEYWORD, PNG_SIGNATURE } from "./badgeConstants.ts";
import { checkCredentialText } from "./checkCredentialText.ts";
import { encodePngChunk } from "./encodePngChunk.ts";
import { readPng } from "./readPng.ts";

const KEYWORD_PREFIX = new TextEncoder().encode(`${PNG_CREDENTIAL_KEYWORD}\0`);

/**
 * Bakes a credential into a PNG as Open Badges 3.0 specifies (§5.3.1 "Baking"): one `iTXt` chunk with keyword
 * `openbadgecredential`, compression flag 0 and method 0 (the spec forbids compression), an empty language tag, an
 * empty translated keyword, and the credential text in UTF-8: the JSON of a credential with an embedded proof, or the
 * compact JWS of a VC-JWT, exactly as given (nothing is parsed or re-serialized, so unbaking gives the same text).
 *
 * The spec does not say where the chunk goes and PNG allows `iTXt` anywhere between IHDR and IEND: it is written
 * last, just before IEND, and every other chunk is copied byte for byte. Any `openbadgecredential` iTXt chunk
 * already there is removed first (the spec allows overwriting; it forbids two), so baking again replaces.
 *
 * Throws {@link CorruptPngError} when `png` is not a sound PNG (the CRC of every chunk is checked), and
 * {@link InvalidCredentialTextError} when the text is empty or not well-formed Unicode.
 */
export function bakePng(png: Uint8Array, credential: string): Uint8Array {
  checkCredentialText(credential, "png");
  const { chunks } = readPng(png);
  const text = new TextEncoder().encode(credential);
  // keyword NUL | compression flag 0 | compression method 0 | language tag "" NUL | translated keyword "" NUL | text
  const data = new Uint8Array(KEYWORD_PREFIX.length + 4 + text.length);
  data.set(KEYWORD_PREFIX, 0);
  data.set(text, KEYWORD_PREFIX.length + 4);
  const baked = encodePngChunk("iTXt", data);

  const parts: Uint8Array[] = [Uint8Array.from(PNG_SIGNATURE)];
  for (const chunk of chunks) {
    if (chunk.type === "iTXt" && startsWith(chunk.data, KEYWORD_PREFIX)) continue;
    if (chunk.type === "IEND") parts.push(baked);
    parts.push(png.subarray(chunk.offset, chunk.end));
  }
  const output = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    output.set(part, offset);
    offset += part.length;
  }
  return output;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}
