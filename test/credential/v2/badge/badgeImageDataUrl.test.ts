import { describe, expect, it } from "vitest";
import { badgeImageDataUrl } from "../../../../src/credential/v2/badge/badgeImageDataUrl.ts";
import { generateBadgeSvg } from "../../../../src/credential/v2/badge/generateBadgeSvg.ts";
import { imageSchema } from "../../../../src/credential/v2/credentialSchemaV2.ts";
import { InvalidBadgeImageError } from "../../../../src/errors/badgeErrors.ts";
import { buildPng } from "./testPng.ts";

const svg = generateBadgeSvg({ achievementName: "Données ניתוח 📊", issuerName: "Demo University", eqfLevel: 6, credits: 5 });

describe("badgeImageDataUrl", () => {
  it("default: an SVG (text or bytes) becomes data:image/svg+xml;base64 of its UTF-8, which Achievement.image accepts", () => {
    const url = badgeImageDataUrl(svg, "image/svg+xml");
    expect(url.startsWith("data:image/svg+xml;base64,")).toBe(true);
    expect(Buffer.from(url.slice("data:image/svg+xml;base64,".length), "base64").toString("utf8")).toBe(svg);
    expect(badgeImageDataUrl(new TextEncoder().encode(svg), "image/svg+xml")).toBe(url);
    expect(imageSchema.safeParse({ id: url, type: "Image" }).success).toBe(true);
  });

  it("default: a PNG becomes data:image/png;base64 of its bytes", () => {
    const png = buildPng(64, 64);
    const url = badgeImageDataUrl(png, "image/png");
    expect(url).toBe(`data:image/png;base64,${Buffer.from(png).toString("base64")}`);
    expect(imageSchema.safeParse({ id: url, type: "Image" }).success).toBe(true);
  });

  it("error: bytes that are not of the type named, or a type that is not a badge image's", () => {
    expect(() => badgeImageDataUrl(buildPng(), "image/svg+xml")).toThrow(InvalidBadgeImageError);
    expect(() => badgeImageDataUrl(buildPng(), "image/svg+xml")).toThrow("The image given as image/svg+xml is a PNG.");
    expect(() => badgeImageDataUrl(svg, "image/png")).toThrow("The image given as image/png is an SVG.");
    expect(() => badgeImageDataUrl(Uint8Array.from([0xff, 0xd8, 0xff]), "image/png")).toThrow("The image given as image/png is a JPEG image.");
    expect(() => badgeImageDataUrl(svg, "image/jpeg" as "image/png")).toThrow('"image/jpeg" is not a badge image type.');
  });
});
