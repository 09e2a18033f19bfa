import { crc32, deflateRawSync } from "node:zlib";

/** One entry of a test archive; the overrides write what a damaged or hostile archive would. */
export type ZipEntry = {
  readonly name: string;
  readonly bytes: Uint8Array | string;
  /** 8 (deflate, the default) or 0 (stored); any other number is written as is. */
  readonly method?: number;
  /** The uncompressed size written in the headers (default: the real one). */
  readonly declaredSize?: number;
  /** General purpose flags (bit 0: encrypted; bit 11: UTF-8 name, always set). */
  readonly flags?: number;
  /** The CRC-32 written (default: the real one). */
  readonly crc?: number;
};

/**
 * A ZIP archive of `entries` as standard tools write it (local headers, central directory, end record; names in
 * UTF-8), built here so that tests control every field.
 */
export function zipArchive(entries: readonly ZipEntry[], comment = ""): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const content = typeof entry.bytes === "string" ? Buffer.from(entry.bytes) : Buffer.from(entry.bytes);
    const method = entry.method ?? 8;
    const data = method === 8 ? deflateRawSync(content) : content;
    const name = Buffer.from(entry.name);
    const flags = (entry.flags ?? 0) | 0x800;
    const crc = entry.crc ?? crc32(content) >>> 0;
    const size = entry.declaredSize ?? content.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const commentBytes = Buffer.from(comment);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, directory, end, commentBytes]);
}
