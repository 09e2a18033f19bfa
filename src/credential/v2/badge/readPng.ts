import { crc32 } from "node:zlib";
import { CorruptPngError } from "../../../errors/badgeErrors.ts";
import { PNG_SIGNATURE } from "./badgeConstants.ts";

/** One chunk of a PNG datastream: `data` is a view into the file's bytes, `offset` where the chunk (its length field) starts. */
export type PngChunk = {
  readonly type: string;
  readonly data: Uint8Array;
  readonly offset: number;
  /** Offset just after the chunk's CRC: `bytes.subarray(offset, end)` is the whole chunk, as stored. */
  readonly end: number;
};

/** The image header (IHDR), validated against the PNG specification's allowed values. */
export type PngHeader = {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  readonly interlace: number;
};

/** Bit depths allowed for each colour type (PNG §11.2.2, Table 11.1). */
const BIT_DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

const MAX_CHUNK_LENGTH = 0x7fffffff;

/**
 * Reads the structure of a PNG datastream: the signature, then every chunk with its CRC checked, IHDR first (13
 * bytes, allowed values), IEND last (empty, nothing after it), IDAT chunks consecutive, no second IHDR. Image data is
 * not decompressed. Throws {@link CorruptPngError} saying what is wrong and where.
 */
export function readPng(bytes: Uint8Array): { chunks: PngChunk[]; header: PngHeader } {
  if (bytes.length < PNG_SIGNATURE.length || PNG_SIGNATURE.some((byte, index) => bytes[index] !== byte)) {
    throw new CorruptPngError("it does not start with the PNG signature (89 50 4E 47 0D 0A 1A 0A)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  let idatRunEnded = false;
  while (offset < bytes.length) {
    if (bytes.length - offset < 12) throw new CorruptPngError(`the file ends inside a chunk header (${bytes.length - offset} bytes left, a chunk takes at least 12)`, offset);
    const length = view.getUint32(offset);
    const typeBytes = bytes.subarray(offset + 4, offset + 8);
    const type = String.fromCharCode(...typeBytes);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new CorruptPngError(`a chunk type must be four ASCII letters, found bytes ${[...typeBytes].map((byte) => byte.toString(16).padStart(2, "0")).join(" ")}`, offset);
    if (length > MAX_CHUNK_LENGTH) throw new CorruptPngError(`chunk ${type} declares ${length} bytes, more than the 2^31−1 a PNG chunk may hold`, offset);
    const end = offset + 12 + length;
    if (end > bytes.length) throw new CorruptPngError(`chunk ${type} declares ${length} bytes of data but the file ends ${end - bytes.length} bytes early (truncated)`, offset);
    const stored = view.getUint32(offset + 8 + length);
    const computed = crc32(bytes.subarray(offset + 4, offset + 8 + length)) >>> 0;
    if (stored !== computed) throw new CorruptPngError(`chunk ${type} has a wrong CRC (stored 0x${hex32(stored)}, its content gives 0x${hex32(computed)})`, offset);
    const chunk: PngChunk = { type, data: bytes.subarray(offset + 8, offset + 8 + length), offset, end };

    if (chunks.length === 0 && type !== "IHDR") throw new CorruptPngError(`the first chunk must be IHDR, found ${type}`, offset);
    if (chunks.length > 0 && type === "IHDR") throw new CorruptPngError("a second IHDR chunk", offset);
    if (type === "IDAT" && idatRunEnded) throw new CorruptPngError("IDAT chunks must be consecutive, another chunk comes between them", offset);
    if (type !== "IDAT" && chunks.at(-1)?.type === "IDAT") idatRunEnded = true;
    chunks.push(chunk);
    offset = end;
    if (type === "IEND") {
      if (length !== 0) throw new CorruptPngError(`the IEND chunk must be empty, it holds ${length} bytes`, chunk.offset);
      if (offset !== bytes.length) throw new CorruptPngError(`${bytes.length - offset} bytes follow the IEND chunk, which must end the file`, offset);
      return { chunks, header: readHeader(chunks[0]!) };
    }
  }
  throw new CorruptPngError(chunks.length === 0 ? "it has no chunks after the signature" : "it has no IEND chunk (truncated)", bytes.length);
}

function readHeader(chunk: PngChunk): PngHeader {
  if (chunk.data.length !== 13) throw new CorruptPngError(`the IHDR chunk must hold 13 bytes, it holds ${chunk.data.length}`, chunk.offset);
  const view = new DataView(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colorType, compression, filter, interlace] = [8, 9, 10, 11, 12].map((index) => chunk.data[index]!) as [number, number, number, number, number];
  if (width === 0 || height === 0 || width > MAX_CHUNK_LENGTH || height > MAX_CHUNK_LENGTH) throw new CorruptPngError(`IHDR gives a size of ${width}×${height}; width and height must be 1 to 2^31−1`, chunk.offset);
  const depths = BIT_DEPTHS[colorType];
  if (depths === undefined) throw new CorruptPngError(`IHDR gives colour type ${colorType}; PNG defines 0, 2, 3, 4 and 6`, chunk.offset);
  if (!depths.includes(bitDepth)) throw new CorruptPngError(`IHDR gives bit depth ${bitDepth} for colour type ${colorType}, which allows ${depths.join(", ")}`, chunk.offset);
  if (compression !== 0 || filter !== 0 || interlace > 1) throw new CorruptPngError(`IHDR gives compression ${compression}, filter ${filter}, interlace ${interlace}; PNG defines only 0, 0 and 0 or 1`, chunk.offset);
  return { width, height, bitDepth, colorType, interlace };
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, "0");
}
