import { describe, expect, it } from "vitest";
import { bakePng } from "../../../../src/credential/v2/badge/bakePng.ts";
import { checkBadgeImage } from "../../../../src/credential/v2/badge/checkBadgeImage.ts";
import { unbakeBadge } from "../../../../src/credential/v2/badge/unbakeBadge.ts";
import { CorruptPngError, InvalidCredentialTextError } from "../../../../src/errors/badgeErrors.ts";
import { compactCredential } from "./testCredential.ts";
import { buildPng, chunk, chunksOf, flipped, itxtData } from "./testPng.ts";

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const isCredentialChunk = (entry: { type: string; data: Uint8Array }) => entry.type === "iTXt" && latin1(entry.data).startsWith("openbadgecredential\0");

describe("bakePng", () => {
  it("default: one iTXt chunk openbadgecredential, uncompressed, empty language and translated keyword, the UTF-8 text, just before IEND", () => {
    const png = buildPng(100, 100, [chunk("tEXt", "Comment\0hello")]);
    const baked = bakePng(png, compactCredential);
    const chunks = chunksOf(baked);
    expect(chunks.map((entry) => entry.type)).toEqual(["IHDR", "IDAT", "tEXt", "iTXt", "IEND"]);
    const data = Buffer.from(chunks[3]!.data);
    const header = Buffer.concat([Buffer.from("openbadgecredential\0", "latin1"), Buffer.from([0, 0]), Buffer.from("\0\0")]);
    expect(data.subarray(0, header.length).equals(header)).toBe(true);
    expect(data.subarray(header.length).toString("utf8")).toBe(compactCredential);
    // The image's own chunks are copied byte for byte.
    expect(Buffer.from(baked.subarray(0, chunks[3]!.offset)).equals(Buffer.from(png.subarray(0, png.length - 12)))).toBe(true);
  });

  it("default: every chunk of a baked PNG has a valid CRC, and it is still a valid badge image", () => {
    const baked = bakePng(buildPng(100, 100), compactCredential);
    expect(chunksOf(baked).map((entry) => [entry.type, entry.crcOk])).toEqual([["IHDR", true], ["IDAT", true], ["iTXt", true], ["IEND", true]]);
    expect(checkBadgeImage(baked)).toEqual({ mediaType: "image/png", width: 100, height: 100 });
  });

  it("behavior: baking again replaces the credential instead of adding one", () => {
    const once = bakePng(buildPng(), '{"first":1}');
    const twice = bakePng(once, '{"other":2}');
    expect(chunksOf(twice).filter(isCredentialChunk)).toHaveLength(1);
    expect(unbakeBadge(twice)).toBe('{"other":2}');
    expect(twice.length).toBe(once.length);
    expect(bakePng(twice, '{"first":1}')).toEqual(once);
  });

  it("behavior: every existing openbadgecredential chunk goes, wherever it is and however malformed; other text chunks stay", () => {
    const ob2 = chunk("iTXt", itxtData("openbadges", '{"ob2":true}'));
    const png = buildPng(100, 100, [chunk("iTXt", itxtData("openbadgecredential", "old one")), ob2, chunk("iTXt", "openbadgecredential\0\u0005broken")]);
    const baked = bakePng(png, compactCredential);
    const chunks = chunksOf(baked);
    expect(chunks.map((entry) => entry.type)).toEqual(["IHDR", "IDAT", "iTXt", "iTXt", "IEND"]);
    expect(latin1(chunks[2]!.data)).toBe(latin1(ob2.subarray(8, ob2.length - 4)));
    expect(unbakeBadge(baked)).toBe(compactCredential);
  });

  it("behavior: a compact JWS (VC-JWT) is baked as the chunk's text, as the spec says", () => {
    const jws = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl";
    expect(unbakeBadge(bakePng(buildPng(), jws))).toBe(jws);
  });

  it("error: a corrupt PNG is refused before anything is written", () => {
    const png = flipped(buildPng(), 50);
    expect(() => bakePng(png, compactCredential)).toThrow(CorruptPngError);
    expect(() => bakePng(png, compactCredential)).toThrow("The PNG file is corrupt: chunk IDAT has a wrong CRC");
  });

  it("error: text that cannot be baked: empty, a lone surrogate", () => {
    expect(() => bakePng(buildPng(), " ")).toThrow(InvalidCredentialTextError);
    expect(() => bakePng(buildPng(), " ")).toThrow("The credential text cannot be baked: it is empty.");
    expect(() => bakePng(buildPng(), '{"a":"\uD800"}')).toThrow("The credential text cannot be baked: it holds a lone surrogate at index 6, which UTF-8 cannot encode.");
  });
});
