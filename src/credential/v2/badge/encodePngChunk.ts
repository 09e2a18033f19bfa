import { crc32 } from "node:zlib";

/** One PNG chunk as stored: big-endian length, the four-letter type, the data, and the CRC-32 of type and data. */
export function encodePngChunk(type: string, data: Uint8Array): Uint8Array {
  if (!/^[A-Za-z]{4}$/.test(type)) throw new TypeError(`A PNG chunk type is four ASCII letters, not ${JSON.stringify(type)}.`);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  for (let index = 0; index < 4; index += 1) chunk[4 + index] = type.charCodeAt(index);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)) >>> 0);
  return chunk;
}
