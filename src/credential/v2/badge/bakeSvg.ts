import { InvalidBadgeImageError, MalformedSvgError } from "../../../errors/badgeErrors.ts";
import { OB3_BAKING_NAMESPACE, SVG_CREDENTIAL_LOCAL_NAME, SVG_CREDENTIAL_PREFIX } from "./badgeConstants.ts";
import { checkCredentialText } from "./checkCredentialText.ts";
import { escapeXml } from "./escapeXml.ts";
import { findSvgCredentialElements } from "./findSvgCredentialElements.ts";
import { parseSvgDocument } from "./parseSvgDocument.ts";

const ELEMENT = `${SVG_CREDENTIAL_PREFIX}:${SVG_CREDENTIAL_LOCAL_NAME}`;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

/**
 * Bakes a credential into an SVG as Open Badges 3.0 specifies (§5.3.2 "Baking"): `xmlns:openbadges=
 * "https://purl.imsglobal.org/ob/v3p0"` on the root `<svg>` (added unless already there) and an
 * `<openbadges:credential>` element directly after the root's start tag, i.e. its first child. A credential with an
 * embedded proof (its JSON) goes in the element's body in CDATA: a `]]>` in the text is split across two CDATA
 * sections (`]]]]><![CDATA[>`) and a carriage return is written `&#13;` between sections (an XML parser would turn
 * a raw one into a line feed), so every XML parser reads back exactly the text given. A compact JWS (VC-JWT) goes
 * in the `verify` attribute, with an empty body, as the spec says.
 *
 * The rest of the file is copied unchanged; every existing Open Badges 3.0 credential element is removed first
 * (the spec allows overwriting; it forbids two), so baking again replaces. Returns the baked SVG as text.
 *
 * Throws {@link MalformedSvgError} when `svg` is not a well-formed SVG (or not UTF-8),
 * {@link InvalidBadgeImageError} (`type`) when its root binds the `openbadges` prefix to another namespace (an
 * Open Badges 2.0 badge: bake into the original image), and {@link InvalidCredentialTextError} when the text is
 * empty or holds characters XML cannot hold.
 */
export function bakeSvg(svg: string | Uint8Array, credential: string): string {
  checkCredentialText(credential, "svg");
  const text = typeof svg === "string" ? svg : decodeUtf8(svg);
  const { root } = parseSvgDocument(text);
  const binding = root.attributes.find((attribute) => attribute.name === `xmlns:${SVG_CREDENTIAL_PREFIX}`);
  if (binding !== undefined && binding.value !== OB3_BAKING_NAMESPACE) {
    throw new InvalidBadgeImageError(
      "type",
      `The SVG's root binds the ${SVG_CREDENTIAL_PREFIX} prefix to ${binding.value}, not to ${OB3_BAKING_NAMESPACE}: it looks baked for another Open Badges version.`,
      "Bake into the original, unbaked image.",
    );
  }

  const element = COMPACT_JWS.test(credential)
    ? `<${ELEMENT} verify="${escapeXml(credential)}"></${ELEMENT}>`
    : `<${ELEMENT}><![CDATA[${credential.replace(/\]\]>|\r/g, (match) => (match === "\r" ? "]]>&#13;<![CDATA[" : "]]]]><![CDATA[>"))}]]></${ELEMENT}>`;

  let output = text.slice(0, root.attributesEnd);
  if (binding === undefined) output += ` xmlns:${SVG_CREDENTIAL_PREFIX}="${OB3_BAKING_NAMESPACE}"`;
  if (root.selfClosing) return `${output}>${element}</${root.name}>${text.slice(root.end)}`;
  output += text.slice(root.attributesEnd, root.startTagEnd) + element;

  let copied = root.startTagEnd;
  for (const old of findSvgCredentialElements(root)) {
    if (old.start < copied) continue; // inside one already removed
    output += text.slice(copied, old.start);
    copied = old.end;
  }
  return output + text.slice(copied);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedSvgError("it is not valid UTF-8 text");
  }
}
