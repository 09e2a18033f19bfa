import { randomBytes } from "node:crypto";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32, inflateRawSync, inflateSync } from "../../../src/web/shims/nodeZlib.ts";

// The browser's stand-in for node:zlib (what reading a baked PNG needs) gives node:zlib's answers.
describe("nodeZlib shim", () => {
  it("default: crc32 equals node:zlib's, from zero and continued, for bytes and strings", () => {
    for (const size of [0, 1, 13, 1000, 65_537]) {
      const bytes = randomBytes(size);
      expect(crc32(bytes), `${size} bytes`).toBe(zlib.crc32(bytes));
      expect(crc32(bytes, 0x1234_5678), `${size} bytes, continued`).toBe(zlib.crc32(bytes, 0x1234_5678));
    }
    expect(crc32("IEND")).toBe(0xae426082);
    expect(crc32("Grüße")).toBe(zlib.crc32("Grüße"));
  });

  it("default: inflateSync inflates what node:zlib deflates (zlib format), byte for byte", () => {
    const text = Buffer.from(JSON.stringify({ credential: "x".repeat(10_000), noise: randomBytes(5000).toString("hex") }));
    expect(Buffer.from(inflateSync(zlib.deflateSync(text))).equals(text)).toBe(true);
    expect(Buffer.from(inflateSync(zlib.deflateSync(text), { maxOutputLength: text.length })).equals(text)).toBe(true);
  });

  it("error: past maxOutputLength (a decompression bomb), a corrupt stream and a cut one throw, as node:zlib does", () => {
    const bomb = zlib.deflateSync(Buffer.alloc(2_000_000));
    expect(() => inflateSync(bomb, { maxOutputLength: 1_000_000 })).toThrow(RangeError);
    expect(() => zlib.inflateSync(bomb, { maxOutputLength: 1_000_000 })).toThrow(RangeError);
    const good = zlib.deflateSync(Buffer.from("hello, badge"));
    const corrupt = Buffer.from(good);
    corrupt[4] = corrupt[4]! ^ 0xff;
    expect(() => inflateSync(corrupt)).toThrow();
    expect(() => inflateSync(good.subarray(0, good.length - 3))).toThrow();
  });

  it("default: inflateRawSync inflates raw deflate (a ZIP entry's), byte for byte; it refuses zlib-wrapped data", () => {
    const text = Buffer.from(JSON.stringify({ credential: "y".repeat(20_000), noise: randomBytes(4000).toString("hex") }));
    expect(Buffer.from(inflateRawSync(zlib.deflateRawSync(text))).equals(text)).toBe(true);
    expect(Buffer.from(inflateRawSync(zlib.deflateRawSync(text), { maxOutputLength: text.length })).equals(text)).toBe(true);
    expect(() => inflateRawSync(zlib.deflateSync(text))).toThrow();
  });

  it("error: inflateRawSync past maxOutputLength throws a RangeError, as node:zlib's does; a cut stream throws", () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(3_000_000));
    expect(() => inflateRawSync(bomb, { maxOutputLength: 2_999_999 })).toThrow(RangeError);
    expect(() => zlib.inflateRawSync(bomb, { maxOutputLength: 2_999_999 })).toThrow(RangeError);
    expect(inflateRawSync(bomb, { maxOutputLength: 3_000_000 }).length).toBe(3_000_000);
    expect(() => inflateRawSync(bomb.subarray(0, bomb.length - 4))).toThrow();
  });
});
