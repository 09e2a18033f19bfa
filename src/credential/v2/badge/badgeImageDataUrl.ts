import { InvalidBadgeImageError } from "../../../errors/badgeErrors.ts";
import type { BadgeMediaType } from "./badgeConstants.ts";
import { sniffBadgeImage } from "./sniffBadgeImage.ts";

/**
 * The `data:` URL of a badge image (`data:image/svg+xml;base64,…` or `data:image/png;base64,…`), for
 * `Achievement.image.id`, so a credential carries its image. An SVG may be given as text (encoded as UTF-8) or
 * bytes, a PNG as bytes. The bytes must be of the type named (a PNG signature for `image/png`, XML text for
 * `image/svg+xml`), else {@link InvalidBadgeImageError} (`type`); whether the image is acceptable is
 * `checkBadgeImage`'s job.
 */
export function badgeImageDataUrl(image: string | Uint8Array, mediaType: BadgeMediaType): string {
  if (mediaType !== "image/png" && mediaType !== "image/svg+xml") {
    throw new InvalidBadgeImageError("type", `${JSON.stringify(mediaType)} is not a badge image type.`, "Use image/png or image/svg+xml (checkBadgeImage returns the right one).");
  }
  const bytes = typeof image === "string" ? new TextEncoder().encode(image) : image;
  const sniffed = sniffBadgeImage(bytes);
  const actual = sniffed.kind === "png" ? "image/png" : sniffed.kind === "svg" ? "image/svg+xml" : undefined;
  if (actual !== mediaType) {
    const found = sniffed.kind === "png" ? "a PNG" : sniffed.kind === "svg" ? "an SVG" : sniffed.description;
    throw new InvalidBadgeImageError("type", `The image given as ${mediaType} is ${found}.`, "Pass the media type that matches the bytes (checkBadgeImage returns it); give a PNG as bytes, not as a string.");
  }
  return `data:${mediaType};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}`;
}
