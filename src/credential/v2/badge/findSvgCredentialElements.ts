import { OB3_BAKING_NAMESPACE, SVG_CREDENTIAL_LOCAL_NAME, SVG_CREDENTIAL_PREFIX } from "./badgeConstants.ts";
import type { XmlElement } from "./parseSvgDocument.ts";
import { xmlDescendants } from "./xmlDescendants.ts";

/**
 * Every baked-credential element in an SVG, in document order: a `credential` element in the Open Badges 3.0
 * namespace, whatever its prefix, or an element literally named `openbadges:credential` whose prefix was never
 * declared (a sloppy baker; accepted when reading, never written).
 */
export function findSvgCredentialElements(root: XmlElement): XmlElement[] {
  const found: XmlElement[] = [];
  for (const node of xmlDescendants(root)) {
    if (node.kind !== "element" || node.localName !== SVG_CREDENTIAL_LOCAL_NAME) continue;
    if (node.namespace === OB3_BAKING_NAMESPACE || (node.namespace === undefined && node.prefix === SVG_CREDENTIAL_PREFIX)) found.push(node);
  }
  return found;
}
