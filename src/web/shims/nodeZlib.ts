// Browser stand-in for the parts of node:zlib that the pages' code uses (bundled by buildPageBundle): crc32 (PNG
// chunks, ZIP entries), inflateSync (compressed iTXt text of a baked badge) and inflateRawSync (a ZIP archive's
// entries), both with maxOutputLength, bounded against bombs as node:zlib bounds them.
import { Inflate } from "pako";

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

/** CRC-32 (ISO 3309, as PNG uses it) of `data`, continuing from `value` like node:zlib's crc32. */
export function crc32(data: Uint8Array | string, value = 0): number {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  let crc = (value ^ 0xffffffff) >>> 0;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** zlib-inflates `data`; throws past `maxOutputLength` bytes (as node:zlib does) or on a corrupt stream. */
export function inflateSync(data: Uint8Array, options: { maxOutputLength?: number } = {}): Uint8Array {
  return inflate(data, options, false);
}

/** Inflates raw deflate `data` (no zlib header); throws past `maxOutputLength` bytes or on a corrupt stream. */
export function inflateRawSync(data: Uint8Array, options: { maxOutputLength?: number } = {}): Uint8Array {
  return inflate(data, options, true);
}

function inflate(data: Uint8Array, options: { maxOutputLength?: number }, raw: boolean): Uint8Array {
  const most = options.maxOutputLength ?? Number.POSITIVE_INFINITY;
  const inflater = new Inflate({ raw });
  const chunks: Uint8Array[] = [];
  let length = 0;
  inflater.onData = (chunk: Uint8Array) => {
    length += chunk.length;
    if (length > most) throw new RangeError(`Cannot create a buffer larger than ${most} bytes`);
    chunks.push(chunk);
  };
  inflater.push(data, true);
  if (inflater.err !== 0) throw new Error(inflater.msg || "invalid zlib data");
  if (!(inflater as Inflate & { ended?: boolean }).ended) throw new Error("unexpected end of zlib data");
  const output = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.length;
  }
  return output;
}
