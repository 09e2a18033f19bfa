import { PNG_SIGNATURE } from "./badgeConstants.ts";

/** What a file's first bytes say it is: a PNG, an SVG (its UTF-8 text, BOM removed), or something else, described. */
export type SniffedImage = { readonly kind: "png" } | { readonly kind: "svg"; readonly text: string } | { readonly kind: "other"; readonly description: string };

const OTHER_SIGNATURES: readonly (readonly [string, readonly (number | undefined)[]])[] = [
  ["a JPEG image", [0xff, 0xd8, 0xff]],
  ["a GIF image", [0x47, 0x49, 0x46, 0x38]],
  ["a WebP image", [0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x45, 0x42, 0x50]],
  ["a BMP image", [0x42, 0x4d]],
  ["a TIFF image", [0x49, 0x49, 0x2a, 0x00]],
  ["a TIFF image", [0x4d, 0x4d, 0x00, 0x2a]],
  ["an ICO image", [0x00, 0x00, 0x01, 0x00]],
  ["a PDF document", [0x25, 0x50, 0x44, 0x46]],
  ["UTF-16 text (an SVG must be saved as UTF-8)", [0xff, 0xfe]],
  ["UTF-16 text (an SVG must be saved as UTF-8)", [0xfe, 0xff]],
];

/**
 * Tells a PNG (its signature) from an SVG (UTF-8 text whose first non-blank character, after an optional BOM, is
 * `<`) from anything else. Only the first bytes are looked at: the file's structure is checked by its parser.
 */
export function sniffBadgeImage(bytes: Uint8Array): SniffedImage {
  if (bytes.length === 0) return { kind: "other", description: "empty (0 bytes)" };
  if (PNG_SIGNATURE.every((byte, index) => bytes[index] === byte)) return { kind: "png" };
  for (const [description, signature] of OTHER_SIGNATURES) {
    if (bytes.length >= signature.length && signature.every((byte, index) => byte === undefined || bytes[index] === byte)) return { kind: "other", description };
  }
  let index = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (index < bytes.length && (bytes[index] === 0x20 || bytes[index] === 0x09 || bytes[index] === 0x0a || bytes[index] === 0x0d)) index += 1;
  if (bytes[index] !== 0x3c) return { kind: "other", description: "neither a PNG nor an SVG file" };
  try {
    return { kind: "svg", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { kind: "other", description: "XML text that is not valid UTF-8 (an SVG must be saved as UTF-8)" };
  }
}
