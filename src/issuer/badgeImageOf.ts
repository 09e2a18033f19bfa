import type { AchievementInput } from "../credential/issuanceInputSchema.ts";
import type { BadgeMediaType } from "../credential/v2/badge/badgeConstants.ts";
import { badgeImageDataUrl } from "../credential/v2/badge/badgeImageDataUrl.ts";
import { bakePng } from "../credential/v2/badge/bakePng.ts";
import { bakeSvg } from "../credential/v2/badge/bakeSvg.ts";
import { checkBadgeImage } from "../credential/v2/badge/checkBadgeImage.ts";
import { generateBadgeSvg } from "../credential/v2/badge/generateBadgeSvg.ts";

/** A credential's badge image: `Achievement.image` of format 2 (`id` a `data:` URL, so the credential carries it). */
export type BadgeImage = { readonly id: string; readonly caption: string };

/**
 * The badge image of an achievement: the issuer's PNG or SVG (`supplied`, checked by `checkBadgeImage`: type, size,
 * dimensions, no script or outside reference), else one generated from the achievement's name, the issuer's name,
 * the EQF level and the ECTS credits. Throws `InvalidBadgeImageError` (an input error) for an unusable image.
 */
export function badgeImageOf(achievement: AchievementInput, issuerName: string, supplied?: Uint8Array): BadgeImage {
  const caption = `Badge of ${achievement.name}, issued by ${issuerName}`;
  if (supplied !== undefined) return { id: badgeImageDataUrl(supplied, checkBadgeImage(supplied).mediaType), caption };
  const svg = generateBadgeSvg({ achievementName: achievement.name, issuerName, eqfLevel: achievement.eqfLevel, credits: achievement.workload.ectsCredits });
  return { id: badgeImageDataUrl(svg, "image/svg+xml"), caption };
}

/** The bytes and media type of a badge image's `data:` URL (as {@link badgeImageOf} writes it). */
export function badgeImageBytes(image: BadgeImage): { readonly bytes: Uint8Array; readonly mediaType: BadgeMediaType } {
  const match = /^data:(image\/png|image\/svg\+xml);base64,([A-Za-z0-9+/=]+)$/.exec(image.id);
  if (match === null) throw new TypeError("The badge image is not a base64 data: URL of a PNG or an SVG.");
  return { mediaType: match[1] as BadgeMediaType, bytes: Buffer.from(match[2]!, "base64") };
}

/**
 * A function that bakes a credential (its JSON text) into the badge image, as Open Badges 3.0 baking does: an SVG
 * gets an `openbadges:credential` element, a PNG an `iTXt` chunk `openbadgecredential`. Returns the file's suffix
 * (`.svg` or `.png`) and bytes.
 */
export function badgeBaker(image: BadgeImage): (credentialJson: string) => { readonly suffix: ".svg" | ".png"; readonly bytes: Uint8Array } {
  const { bytes, mediaType } = badgeImageBytes(image);
  if (mediaType === "image/png") return (credentialJson) => ({ suffix: ".png", bytes: bakePng(bytes, credentialJson) });
  const svg = new TextDecoder().decode(bytes);
  return (credentialJson) => ({ suffix: ".svg", bytes: new TextEncoder().encode(bakeSvg(svg, credentialJson)) });
}
