import { BakedCredentialError } from "../../../errors/badgeErrors.ts";
import { PNG_CREDENTIAL_KEYWORD, SVG_CREDENTIAL_LOCAL_NAME, SVG_CREDENTIAL_PREFIX } from "./badgeConstants.ts";
import { decodeItxt } from "./decodeItxt.ts";
import { findSvgCredentialElements } from "./findSvgCredentialElements.ts";
import { parseSvgDocument, type XmlNode } from "./parseSvgDocument.ts";
import { readPng } from "./readPng.ts";
import { sniffBadgeImage } from "./sniffBadgeImage.ts";

const ELEMENT = `<${SVG_CREDENTIAL_PREFIX}:${SVG_CREDENTIAL_LOCAL_NAME}>`;
const KEYWORD_PREFIX = new TextEncoder().encode(`${PNG_CREDENTIAL_KEYWORD}\0`);
/** Open Badges 2.0 baked an assertion under the keyword `openbadges` (and 1.0 a URL in tEXt): named in the error. */
const OB2_KEYWORD_PREFIX = new TextEncoder().encode("openbadges\0");
const XML_WHITESPACE_START = /^[ \t\n\r]+/;
const XML_WHITESPACE_END = /[ \t\n\r]+$/;

/**
 * Extracts the credential baked into a badge image (Open Badges 3.0 §5.3 "Extracting"), telling PNG from SVG by
 * the bytes (a string is read as SVG text), and returns its text exactly as baked.
 *
 * - PNG: the `iTXt` chunk with keyword `openbadgecredential`. Unlike the spec's "stop at the first one", the whole
 *   file is read: every chunk's CRC is checked ({@link CorruptPngError} otherwise) and a second such chunk is
 *   refused, since the spec forbids two and a verifier must not pick one. Compressed text (flag 1, zlib) is
 *   accepted although the spec forbids writing it: PNG defines it and reading it costs nothing.
 * - SVG: the `<openbadges:credential>` element (the Open Badges 3.0 namespace, whatever its prefix), anywhere in the
 *   file; its body in CDATA and/or escaped text, with comments ignored and whitespace outside CDATA at either end
 *   dropped (the spec's own example indents the CDATA); or its `verify` attribute. A second element, or an element
 *   with both a `verify` attribute and a body, is refused. Malformed XML throws {@link MalformedSvgError}.
 *
 * Decision on the VC-JWT form: accepted, not interpreted. OB 3.0 bakes a credential signed as a VC-JWT as its
 * compact JWS (the PNG text, or the SVG `verify` attribute); that string is returned as-is, like the JSON of a
 * credential with an embedded proof, and the caller decides what it accepts (credreg's verifier reads JSON with
 * Data Integrity and anchor proofs, so it refuses a JWS when it parses the text).
 *
 * Throws {@link BakedCredentialError}: `format` (neither PNG nor SVG), `missing` (no credential, or an empty one),
 * `duplicate` (two), `unreadable` (a malformed iTXt chunk, text that is not UTF-8, markup inside the element).
 */
export function unbakeBadge(badge: Uint8Array | string): string {
  if (typeof badge === "string") return unbakeSvg(badge);
  const sniffed = sniffBadgeImage(badge);
  if (sniffed.kind === "png") return unbakePng(badge);
  if (sniffed.kind === "svg") return unbakeSvg(sniffed.text);
  throw new BakedCredentialError("format", `The file is ${sniffed.description}; a baked badge is a PNG or an SVG image.`, "Give the badge image the credential was baked into (.png or .svg), or the credential's .json file.");
}

function unbakePng(bytes: Uint8Array): string {
  const { chunks } = readPng(bytes);
  const baked = chunks.filter((chunk) => chunk.type === "iTXt" && startsWith(chunk.data, KEYWORD_PREFIX));
  if (baked.length === 0) {
    const legacy = chunks.some((chunk) => (chunk.type === "iTXt" || chunk.type === "tEXt") && startsWith(chunk.data, OB2_KEYWORD_PREFIX));
    throw new BakedCredentialError(
      "missing",
      `The PNG holds no baked credential (no iTXt chunk with keyword ${PNG_CREDENTIAL_KEYWORD})${legacy ? "; it holds an Open Badges 1.0/2.0 assertion (keyword openbadges), which is not an Open Badges 3.0 credential" : ""}.`,
      "Give the baked badge issued with the credential, not the plain badge image.",
    );
  }
  if (baked.length > 1) {
    throw new BakedCredentialError(
      "duplicate",
      `The PNG holds ${baked.length} iTXt chunks with keyword ${PNG_CREDENTIAL_KEYWORD} (at bytes ${baked.map((chunk) => chunk.offset).join(", ")}); Open Badges 3.0 allows exactly one.`,
      "A tool appended a credential instead of replacing it: ask the issuer for the badge again.",
    );
  }
  const { text } = decodeItxt(baked[0]!.data);
  if (text.trim() === "") throw new BakedCredentialError("missing", `The PNG's ${PNG_CREDENTIAL_KEYWORD} iTXt chunk is empty.`, "Give the baked badge issued with the credential.");
  return text;
}

function unbakeSvg(text: string): string {
  const { root } = parseSvgDocument(text);
  const elements = findSvgCredentialElements(root);
  if (elements.length === 0) {
    throw new BakedCredentialError("missing", `The SVG holds no baked credential (no ${ELEMENT} element in the namespace https://purl.imsglobal.org/ob/v3p0).`, "Give the baked badge issued with the credential, not the plain badge image.");
  }
  if (elements.length > 1) {
    throw new BakedCredentialError("duplicate", `The SVG holds ${elements.length} ${ELEMENT} elements; Open Badges 3.0 allows exactly one.`, "A tool added a credential instead of replacing it: ask the issuer for the badge again.");
  }
  const element = elements[0]!;
  const markup = element.children.find((child) => child.kind === "element");
  if (markup !== undefined) {
    throw new BakedCredentialError("unreadable", `The SVG's ${ELEMENT} element holds markup (<${markup.kind === "element" ? markup.name : ""}>) instead of the credential's text.`, "The credential's JSON must be in CDATA (or escaped text) directly inside the element.");
  }
  const body = bodyText(element.children);
  const verify = element.attributes.find((attribute) => attribute.name === "verify")?.value.replace(XML_WHITESPACE_START, "").replace(XML_WHITESPACE_END, "");
  if (verify !== undefined && verify !== "") {
    if (body !== "") throw new BakedCredentialError("duplicate", `The SVG's ${ELEMENT} element holds both a verify attribute (a compact JWS) and a body; a badge holds exactly one credential.`, "Ask the issuer for the badge again.");
    return verify;
  }
  if (body === "") throw new BakedCredentialError("missing", `The SVG's ${ELEMENT} element is empty.`, "Give the baked badge issued with the credential.");
  return body;
}

/** The element's character data (CDATA verbatim, text decoded), without the whitespace outside CDATA at either end. */
function bodyText(children: readonly XmlNode[]): string {
  const parts = children.flatMap((child) => (child.kind === "text" || child.kind === "cdata" ? [{ kind: child.kind, value: child.value }] : []));
  while (parts[0]?.kind === "text") {
    parts[0].value = parts[0].value.replace(XML_WHITESPACE_START, "");
    if (parts[0].value !== "") break;
    parts.shift();
  }
  while (parts.at(-1)?.kind === "text") {
    const last = parts.at(-1)!;
    last.value = last.value.replace(XML_WHITESPACE_END, "");
    if (last.value !== "") break;
    parts.pop();
  }
  return parts.map((part) => part.value).join("");
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}
