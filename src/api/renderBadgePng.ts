import { InvalidBadgeImageError } from "../errors/badgeErrors.ts";
import { checkBadgeImage } from "../credential/v2/badge/checkBadgeImage.ts";
import type { DisplayImage } from "../web/displayFactsOf.ts";

/** The width of a rendered SVG badge: link previews want at least 200 px, and a square of 600 px suits them all. */
const PREVIEW_WIDTH = 600;

/**
 * A credential's badge image as PNG bytes, for link previews (which do not show SVG). The image is checked as an
 * issuer's is (size, dimensions; an SVG with no script, no foreignObject, no event attribute, no outside reference)
 * before anything renders it: a PNG goes as it is, an SVG is rendered with resvg (system fonts). Throws what
 * `checkBadgeImage` throws for an image it refuses.
 */
export async function renderBadgePng(image: DisplayImage): Promise<Uint8Array> {
  const bytes = Buffer.from(image.dataUrl.slice(image.dataUrl.indexOf(",") + 1), "base64");
  const checked = checkBadgeImage(bytes);
  if (checked.mediaType !== image.mediaType) throw new InvalidBadgeImageError("type", `The badge image is named ${image.mediaType} but is ${checked.mediaType}.`, "Embed the image with its own media type.");
  if (checked.mediaType === "image/png") return bytes;
  // Loaded on first use: a native addon that only the share preview needs.
  const { Resvg } = await import("@resvg/resvg-js");
  const rendered = new Resvg(bytes, { fitTo: { mode: "width", value: PREVIEW_WIDTH }, font: { loadSystemFonts: true } }).render();
  return rendered.asPng();
}
