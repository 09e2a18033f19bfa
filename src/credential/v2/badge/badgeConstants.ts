/** The XML namespace of a baked Open Badges 3.0 SVG: bound to the `openbadges` prefix on the root `<svg>` (OB 3.0 §5.3.2). */
export const OB3_BAKING_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0";

/** The prefix and local name of the element that holds the credential in a baked SVG: `<openbadges:credential>`. */
export const SVG_CREDENTIAL_PREFIX = "openbadges";
export const SVG_CREDENTIAL_LOCAL_NAME = "credential";

/** The SVG namespace: a badge image's root element must be `<svg xmlns="http://www.w3.org/2000/svg">`. */
export const SVG_NAMESPACE = "http://www.w3.org/2000/svg";

/** The keyword of the `iTXt` chunk that holds the credential in a baked PNG (OB 3.0 §5.3.1). */
export const PNG_CREDENTIAL_KEYWORD = "openbadgecredential";

/** The eight bytes every PNG datastream starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The largest badge image an issuer may supply: 256 KiB (its base64 `data:` URL then fits the schema's 350,000 characters). */
export const MAX_BADGE_IMAGE_BYTES = 256 * 1024;

/** The smallest and largest width and height of a badge image, in pixels. */
export const MIN_BADGE_IMAGE_PIXELS = 64;
export const MAX_BADGE_IMAGE_PIXELS = 2048;

/** The media types of the images a badge may have (the only two OB 3.0 can bake). */
export type BadgeMediaType = "image/png" | "image/svg+xml";
