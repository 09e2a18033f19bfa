import { CorruptPngError, InvalidBadgeImageError, MalformedSvgError } from "../../../errors/badgeErrors.ts";
import { type BadgeMediaType, MAX_BADGE_IMAGE_BYTES, MAX_BADGE_IMAGE_PIXELS, MIN_BADGE_IMAGE_PIXELS, SVG_NAMESPACE } from "./badgeConstants.ts";
import { parseSvgDocument, type SvgDocument, type XmlElement } from "./parseSvgDocument.ts";
import { readPng } from "./readPng.ts";
import { sniffBadgeImage } from "./sniffBadgeImage.ts";
import { textPosition } from "./textPosition.ts";
import { xmlDescendants } from "./xmlDescendants.ts";

/** What `checkBadgeImage` found: the media type, and the size in pixels when the file gives one. */
export type BadgeImageInfo = {
  readonly mediaType: BadgeMediaType;
  readonly width?: number;
  readonly height?: number;
};

const KNOWN_CRITICAL_CHUNKS = new Set(["IHDR", "PLTE", "IDAT", "IEND"]);
const ANIMATION_ELEMENTS = new Set(["set", "animate", "animatemotion", "animatetransform"]);
const PIXELS_PER_UNIT: Readonly<Record<string, number>> = { "": 1, px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, pt: 96 / 72, pc: 16 };
const SIZE_FIX = `Resize it so that width and height are each ${MIN_BADGE_IMAGE_PIXELS} to ${MAX_BADGE_IMAGE_PIXELS} pixels (512×512 suits a badge).`;
const SELF_CONTAINED_FIX = "Embed what it needs (a data:image/… URL) or remove the reference: a badge image must be self-contained.";
const numberFormat = new Intl.NumberFormat("en-US");

/**
 * Checks an image an issuer supplies as a badge image (`Achievement.image`, to be embedded as a `data:` URL and
 * baked), from its bytes:
 * - at most 256 KiB ({@link MAX_BADGE_IMAGE_BYTES});
 * - a PNG: the signature, IHDR first, the CRC of every chunk, IDAT present, IEND last, no unknown critical chunk,
 *   a palette for an indexed image; width and height (from IHDR) each 64 to 2048 pixels;
 * - or an SVG: well-formed UTF-8 XML (no DTD internal subset) whose root is `<svg>` in the SVG namespace, with no
 *   `<script>`, no `<foreignObject>`, no `on*` event attribute, no processing instruction (an
 *   `<?xml-stylesheet?>` loads a stylesheet), no animation of `href` or event attributes, and no reference outside
 *   the file: every `href`/`xlink:href` and CSS `url(…)` is a fragment (`#id`) or a `data:image/…` URL, and no
 *   CSS `@import` or `image-set()`. Its size is read from `width`/`height` (absolute units; the other one derived
 *   from the `viewBox` when only one is given) or else from the `viewBox`; when known it must be 64 to 2048 pixels
 *   too. A DOCTYPE without internal subset (the SVG 1.1 public DTD line) is accepted: renderers never fetch it.
 *
 * Returns the media type and the size; throws {@link InvalidBadgeImageError} whose `problem` is `size`, `type`,
 * `corrupt`, `dimensions` or `unsafe`, with a message saying what is wrong and how to fix it.
 */
export function checkBadgeImage(bytes: Uint8Array): BadgeImageInfo {
  if (bytes.length > MAX_BADGE_IMAGE_BYTES) {
    throw new InvalidBadgeImageError(
      "size",
      `The badge image is ${numberFormat.format(bytes.length)} bytes; at most ${numberFormat.format(MAX_BADGE_IMAGE_BYTES)} bytes (256 KiB) are allowed.`,
      "Make it smaller: export the PNG at 512×512 pixels with compression (for example with oxipng or pngquant), or simplify the SVG (for example with svgo).",
    );
  }
  const sniffed = sniffBadgeImage(bytes);
  if (sniffed.kind === "other") {
    throw new InvalidBadgeImageError("type", `The badge image is ${sniffed.description}; a badge image must be a PNG or an SVG.`, "Convert it to PNG or SVG: Open Badges 3.0 bakes credentials only into those two formats.");
  }
  return sniffed.kind === "png" ? checkPng(bytes) : checkSvg(sniffed.text);
}

function checkPng(bytes: Uint8Array): BadgeImageInfo {
  let png: ReturnType<typeof readPng>;
  try {
    png = readPng(bytes);
  } catch (error) {
    if (error instanceof CorruptPngError) throw new InvalidBadgeImageError("corrupt", error.shortMessage, error.metaMessages![0]!, error);
    throw error;
  }
  const corrupt = (problem: string) => new InvalidBadgeImageError("corrupt", `The PNG badge image cannot be displayed: ${problem}.`, "Export it again as a standard PNG from an image editor.");
  const unknown = png.chunks.find((chunk) => /^[A-Z]/.test(chunk.type) && !KNOWN_CRITICAL_CHUNKS.has(chunk.type));
  if (unknown) throw corrupt(`it has a critical chunk ${unknown.type} that PNG does not define, so viewers refuse it`);
  if (!png.chunks.some((chunk) => chunk.type === "IDAT")) throw corrupt("it has no image data (no IDAT chunk)");
  if (png.header.colorType === 3 && !png.chunks.some((chunk) => chunk.type === "PLTE")) throw corrupt("it is an indexed-colour image without a palette (no PLTE chunk)");
  const { width, height } = png.header;
  checkPixels(width, height, "PNG");
  return { mediaType: "image/png", width, height };
}

function checkSvg(text: string): BadgeImageInfo {
  let document: SvgDocument;
  try {
    document = parseSvgDocument(text);
  } catch (error) {
    if (error instanceof MalformedSvgError) throw new InvalidBadgeImageError("corrupt", error.shortMessage, error.metaMessages![0]!, error);
    throw error;
  }
  const { root } = document;
  if (root.namespace !== SVG_NAMESPACE) {
    throw new InvalidBadgeImageError(
      "corrupt",
      `The SVG badge image's root <${root.name}> is not in the SVG namespace, so browsers will not draw it as an image.`,
      `Add xmlns="${SVG_NAMESPACE}" to the <svg> element.`,
    );
  }
  checkSvgSafety(text, document);
  const size = svgSize(root);
  checkPixels(size.width, size.height, "SVG");
  return { mediaType: "image/svg+xml", ...(size.width === undefined ? {} : { width: size.width }), ...(size.height === undefined ? {} : { height: size.height }) };
}

function checkPixels(width: number | undefined, height: number | undefined, kind: string): void {
  const fits = (value: number | undefined) => value === undefined || (value >= MIN_BADGE_IMAGE_PIXELS && value <= MAX_BADGE_IMAGE_PIXELS);
  if (fits(width) && fits(height)) return;
  const size = width !== undefined && height !== undefined ? `${round(width)}×${round(height)} pixels` : width !== undefined ? `${round(width)} pixels wide` : `${round(height!)} pixels high`;
  throw new InvalidBadgeImageError(
    "dimensions",
    `The ${kind} badge image is ${size}; width and height must each be ${MIN_BADGE_IMAGE_PIXELS} to ${MAX_BADGE_IMAGE_PIXELS} pixels.`,
    kind === "SVG" ? `${SIZE_FIX} An SVG scales without loss: set width="512" height="512" on its <svg> element.` : SIZE_FIX,
  );
}

function checkSvgSafety(text: string, document: SvgDocument): void {
  const unsafe = (what: string, at: number, fix: string) => {
    const { line } = textPosition(text, at);
    return new InvalidBadgeImageError("unsafe", `The SVG badge image ${what} (line ${line}); a badge image must be a static, self-contained picture.`, fix);
  };
  const nodes = [...document.outside.filter((node) => node.kind === "pi"), ...xmlDescendants(document.root)];
  for (const node of nodes) {
    if (node.kind === "pi") throw unsafe(`contains the processing instruction <?${node.target} …?>, which can load a stylesheet`, node.start, "Remove it; put styles in a <style> element or in attributes.");
    if (node.kind !== "element") continue;
    const local = node.localName.toLowerCase();
    if (local === "script") throw unsafe("contains a <script> element", node.start, "Remove the script: a badge image may not run code.");
    if (local === "foreignobject") throw unsafe("contains a <foreignObject> element (HTML inside the SVG)", node.start, "Remove it: draw the content with SVG shapes and text.");
    if (local === "style") checkCss(styleText(node), node.start, unsafe);
    for (const attribute of node.attributes) {
      const name = attribute.localName.toLowerCase();
      if (name.startsWith("on")) throw unsafe(`has an event handler attribute ${attribute.name}="…" on <${node.name}>`, attribute.start, "Remove the event handler attributes (onload, onclick, …): a badge image may not run code.");
      if (name === "href" && !isSelfContainedReference(attribute.value)) throw unsafe(`refers to ${quoteShort(attribute.value)} in ${attribute.name} on <${node.name}>, which is neither a fragment (#id) nor an embedded image (data:image/…)`, attribute.start, SELF_CONTAINED_FIX);
      if (name === "attributename" && ANIMATION_ELEMENTS.has(local) && /^((xlink:)?href|on.*)$/i.test(attribute.value.trim())) throw unsafe(`animates the ${attribute.value.trim()} attribute with <${node.name}>`, attribute.start, "Remove the animation of links and event attributes.");
      checkCss(attribute.value, attribute.start, unsafe);
    }
  }
}

/**
 * Refuses CSS that can fetch something: `@import`, `image-set(…)`, or a `url(…)` that is not a fragment or an
 * embedded image. CSS escapes are decoded first (`u\\72l(` is `url(`); the patterns stop at delimiters, so a
 * hostile file cannot make them backtrack.
 */
function checkCss(raw: string, at: number, unsafe: (what: string, at: number, fix: string) => Error): void {
  const css = raw.includes("\\") ? raw.replace(/\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)/gs, (_, hex: string | undefined, char: string | undefined) => (hex === undefined ? char! : String.fromCodePoint(Math.min(Number.parseInt(hex, 16), 0x10ffff)))) : raw;
  if (/@import/i.test(css)) throw unsafe("imports a stylesheet with @import", at, SELF_CONTAINED_FIX);
  if (/image-set\(/i.test(css)) throw unsafe("uses image-set(), which loads images", at, SELF_CONTAINED_FIX);
  for (const match of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^()"'\s]*))/gi)) {
    const target = match[1] ?? match[2] ?? match[3]!;
    if (!isSelfContainedReference(target)) throw unsafe(`refers to url(${quoteShort(target)}), which is neither a fragment (#id) nor an embedded image (data:image/…)`, at, SELF_CONTAINED_FIX);
  }
}

/** A reference that stays inside the file: empty, a fragment, or an embedded image. */
function isSelfContainedReference(value: string): boolean {
  const reference = value.trim();
  return reference === "" || reference.startsWith("#") || /^data:image\/[a-z0-9.+-]+[;,]/i.test(reference);
}

function styleText(element: XmlElement): string {
  return element.children.map((child) => (child.kind === "text" || child.kind === "cdata" ? child.value : "")).join("");
}

function svgSize(root: XmlElement): { width?: number; height?: number } {
  const attribute = (name: string) => root.attributes.find((candidate) => candidate.name === name)?.value;
  const length = (name: "width" | "height"): number | undefined => {
    const value = attribute(name);
    if (value === undefined) return undefined;
    const match = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(px|in|cm|mm|pt|pc|%|em|ex|rem|ch|vw|vh|vmin|vmax)?\s*$/i.exec(value);
    if (value.trim() === "auto" || (match && PIXELS_PER_UNIT[(match[2] ?? "").toLowerCase()] === undefined)) return undefined; // relative: no intrinsic size
    const pixels = match ? Number(match[1]) * PIXELS_PER_UNIT[(match[2] ?? "").toLowerCase()]! : Number.NaN;
    if (!(pixels > 0) || !Number.isFinite(pixels)) throw new InvalidBadgeImageError("dimensions", `The SVG badge image's ${name}="${value}" is not a positive length.`, `Set ${name} on the <svg> element to a number of pixels, e.g. ${name}="512".`);
    return pixels;
  };
  let width = length("width");
  let height = length("height");
  const viewBoxValue = attribute("viewBox");
  if (viewBoxValue !== undefined) {
    const numbers = viewBoxValue.trim().split(/[\s,]+/).map(Number);
    if (numbers.length !== 4 || numbers.some((value) => !Number.isFinite(value)) || !(numbers[2]! > 0) || !(numbers[3]! > 0)) {
      throw new InvalidBadgeImageError("dimensions", `The SVG badge image's viewBox="${viewBoxValue}" is not four numbers with a positive width and height.`, 'Write it as "min-x min-y width height", e.g. viewBox="0 0 512 512".');
    }
    const [, , boxWidth, boxHeight] = numbers as [number, number, number, number];
    if (width === undefined && height === undefined) [width, height] = [boxWidth, boxHeight];
    else if (width === undefined) width = (height! * boxWidth) / boxHeight;
    else if (height === undefined) height = (width * boxHeight) / boxWidth;
  }
  return { ...(width === undefined ? {} : { width }), ...(height === undefined ? {} : { height }) };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/\.?0+$/, "");
}

function quoteShort(value: string): string {
  const trimmed = value.trim();
  return JSON.stringify(trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed);
}
