/** Fixed-width records in one growing Buffer: 1M credentials take 96 MB, not a million small objects. */
export function recordStore(width: number) {
  let bytes = Buffer.alloc(width * 1024);
  let count = 0;
  return {
    push(record: Buffer): void {
      if ((count + 1) * width > bytes.length) {
        const grown = Buffer.alloc(bytes.length * 2);
        bytes.copy(grown);
        bytes = grown;
      }
      record.copy(bytes, count * width);
      count += 1;
    },
    get bytes() {
      return bytes;
    },
    get count() {
      return count;
    },
  };
}
