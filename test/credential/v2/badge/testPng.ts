import { crc32, deflateSync } from "node:zlib";

// PNG files for the badge tests, written here by hand (not with the code under test): signature, IHDR, IDAT with
// real zlib-compressed scanlines, IEND. `chunksOf` walks a file independently and recomputes every CRC.

export const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk as stored: length, type, data, CRC (pass `crc` to store a wrong one). */
export function chunk(type: string, data: Uint8Array | string, crc?: number): Uint8Array {
  const body = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const bytes = Buffer.alloc(12 + body.length);
  bytes.writeUInt32BE(body.length, 0);
  bytes.write(type, 4, "latin1");
  bytes.set(body, 8);
  bytes.writeUInt32BE(crc ?? crc32(bytes.subarray(4, 8 + body.length)), 8 + body.length);
  return new Uint8Array(bytes);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function ihdr(width: number, height: number, bitDepth = 8, colorType = 2): Uint8Array {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([bitDepth, colorType, 0, 0, 0], 8);
  return chunk("IHDR", data);
}

/** Scanlines of an RGB 8-bit image (a diagonal gradient), each with filter byte 0, deflated. */
export function rgbIdat(width: number, height: number): Uint8Array {
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) raw.set([(x * 255) / width, (y * 255) / height, 160], y * (1 + width * 3) + 1 + x * 3);
  }
  return chunk("IDAT", deflateSync(raw));
}

/** A real, displayable RGB PNG: IHDR, IDAT, then `extra` chunks (before IEND), IEND. */
export function buildPng(width = 100, height = 100, extra: Uint8Array[] = []): Uint8Array {
  return concat(SIGNATURE, ihdr(width, height), rgbIdat(width, height), ...extra, chunk("IEND", new Uint8Array()));
}

/** A 1-bit greyscale PNG (tiny even at 2048×2048), for the size limits. */
export function buildGreyPng(width: number, height: number): Uint8Array {
  const raw = Buffer.alloc(height * (1 + Math.ceil(width / 8)));
  return concat(SIGNATURE, ihdr(width, height, 1, 0), chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array()));
}

/** The data of an iTXt chunk: keyword NUL flag method language NUL translated NUL text. */
export function itxtData(keyword: string, text: Uint8Array | string, flag = 0, method = 0, language = "", translated = ""): Uint8Array {
  const body = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return concat(Buffer.from(`${keyword}\0`, "latin1"), Uint8Array.from([flag, method]), Buffer.from(`${language}\0${translated}\0`, "utf8"), body);
}

export type WalkedChunk = { type: string; data: Uint8Array; offset: number; crcOk: boolean };

/** Every chunk after the signature, with whether its stored CRC matches one computed here. */
export function chunksOf(bytes: Uint8Array): WalkedChunk[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!buffer.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  const chunks: WalkedChunk[] = [];
  for (let offset = 8; offset < buffer.length; ) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString("latin1", offset + 4, offset + 8);
    const data = new Uint8Array(buffer.subarray(offset + 8, offset + 8 + length));
    const crcOk = buffer.readUInt32BE(offset + 8 + length) === crc32(buffer.subarray(offset + 4, offset + 8 + length));
    chunks.push({ type, data, offset, crcOk });
    offset += 12 + length;
  }
  return chunks;
}

/** A copy of `bytes` with one bit flipped at `index` (negative: from the end). */
export function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const at = index < 0 ? copy.length + index : index;
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}
