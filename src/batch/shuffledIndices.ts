import { randomFillSync } from "node:crypto";

/**
 * A uniformly random permutation of `0 .. count - 1` (Fisher–Yates over a cryptographic source, with rejection
 * sampling so that no position is favoured). Recipients are placed by it so that leaf order leaks nothing about
 * input order.
 */
export function shuffledIndices(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index += 1) order[index] = index;
  const random = new Uint32Array(4096);
  let used = random.length;
  const next = (): number => {
    if (used === random.length) {
      randomFillSync(random);
      used = 0;
    }
    return random[used++]!;
  };
  for (let last = count - 1; last > 0; last -= 1) {
    const bound = last + 1;
    const limit = 0x100000000 - (0x100000000 % bound); // largest multiple of bound within 2^32
    let value = next();
    while (value >= limit) value = next();
    const pick = value % bound;
    const held = order[last]!;
    order[last] = order[pick]!;
    order[pick] = held;
  }
  return order;
}
