import { describe, expect, it } from "vitest";
import { readPng } from "../../../../src/credential/v2/badge/readPng.ts";
import { CorruptPngError } from "../../../../src/errors/badgeErrors.ts";
import { buildPng, chunk, concat, ihdr, rgbIdat, SIGNATURE } from "./testPng.ts";

const IEND = chunk("IEND", new Uint8Array());

describe("readPng", () => {
  it("default: reads the header and every chunk of a real PNG, with offsets into the file", () => {
    const png = buildPng(100, 80, [chunk("tEXt", "Comment\0made by hand")]);
    const { chunks, header } = readPng(png);
    expect(header).toEqual({ width: 100, height: 80, bitDepth: 8, colorType: 2, interlace: 0 });
    expect(chunks.map((entry) => entry.type)).toEqual(["IHDR", "IDAT", "tEXt", "IEND"]);
    expect(chunks[0]!.offset).toBe(8);
    expect(chunks.at(-1)!.end).toBe(png.length);
    expect(new TextDecoder().decode(chunks[2]!.data)).toBe("Comment\0made by hand");
  });

  const idat = rgbIdat(100, 100);
  const badCrc = chunk("IDAT", idat.subarray(8, idat.length - 4), 0x12345678);
  const cases: [string, Uint8Array, string][] = [
    ["no signature", new TextEncoder().encode("GIF89a......"), "The PNG file is corrupt: it does not start with the PNG signature (89 50 4E 47 0D 0A 1A 0A)."],
    ["only the signature", SIGNATURE, "The PNG file is corrupt: it has no chunks after the signature (at byte 8)."],
    ["a wrong CRC", concat(SIGNATURE, ihdr(100, 100), badCrc, IEND), "The PNG file is corrupt: chunk IDAT has a wrong CRC (stored 0x12345678, its content gives 0x"],
    ["truncated inside a chunk", buildPng().subarray(0, 60), "The PNG file is corrupt: chunk IDAT declares"],
    ["truncated inside a chunk header", concat(SIGNATURE, ihdr(100, 100), Uint8Array.from([0, 0, 0])), "The PNG file is corrupt: the file ends inside a chunk header (3 bytes left, a chunk takes at least 12) (at byte 33)."],
    ["no IEND", concat(SIGNATURE, ihdr(100, 100), idat), "The PNG file is corrupt: it has no IEND chunk (truncated)"],
    ["IHDR not first", concat(SIGNATURE, idat, ihdr(100, 100), IEND), "The PNG file is corrupt: the first chunk must be IHDR, found IDAT (at byte 8)."],
    ["two IHDR", concat(SIGNATURE, ihdr(100, 100), ihdr(100, 100), idat, IEND), "The PNG file is corrupt: a second IHDR chunk (at byte 33)."],
    ["bytes after IEND", concat(buildPng(), Uint8Array.from([1, 2, 3])), "The PNG file is corrupt: 3 bytes follow the IEND chunk, which must end the file"],
    ["IEND with data", concat(SIGNATURE, ihdr(100, 100), idat, chunk("IEND", "x")), "The PNG file is corrupt: the IEND chunk must be empty, it holds 1 bytes"],
    ["IDAT chunks apart", concat(SIGNATURE, ihdr(100, 100), idat, chunk("tEXt", "a\0b"), idat, IEND), "The PNG file is corrupt: IDAT chunks must be consecutive, another chunk comes between them"],
    ["a chunk type that is not letters", concat(SIGNATURE, ihdr(100, 100), chunk("ID1T", "x"), IEND), "The PNG file is corrupt: a chunk type must be four ASCII letters, found bytes 49 44 31 54 (at byte 33)."],
    ["a zero width", concat(SIGNATURE, ihdr(0, 100), idat, IEND), "The PNG file is corrupt: IHDR gives a size of 0×100; width and height must be 1 to 2^31−1 (at byte 8)."],
    ["a bit depth the colour type does not allow", concat(SIGNATURE, ihdr(100, 100, 4, 2), idat, IEND), "The PNG file is corrupt: IHDR gives bit depth 4 for colour type 2, which allows 8, 16 (at byte 8)."],
    ["an unknown colour type", concat(SIGNATURE, ihdr(100, 100, 8, 5), idat, IEND), "The PNG file is corrupt: IHDR gives colour type 5; PNG defines 0, 2, 3, 4 and 6 (at byte 8)."],
    ["a short IHDR", concat(SIGNATURE, chunk("IHDR", new Uint8Array(12)), idat, IEND), "The PNG file is corrupt: the IHDR chunk must hold 13 bytes, it holds 12 (at byte 8)."],
  ];
  for (const [what, bytes, message] of cases) {
    it(`error: ${what}`, () => {
      const error = (() => {
        try {
          readPng(bytes);
        } catch (caught) {
          return caught;
        }
        throw new Error("readPng accepted a corrupt PNG");
      })();
      expect(error).toBeInstanceOf(CorruptPngError);
      expect((error as CorruptPngError).shortMessage).toContain(message);
    });
  }
});
