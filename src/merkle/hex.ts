import { InvalidMerkleInputError } from "../errors/merkleErrors.ts";

/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** Asserts `value` is a 0x-prefixed 32-byte hex string and returns it lower-cased. */
export function toBytes32(value: unknown, what: string): Hex {
  if (typeof value !== "string" || !BYTES32.test(value)) {
    throw new InvalidMerkleInputError(`${what} must be a 0x-prefixed 32-byte hex string.`, {
      details: `got ${typeof value === "string" ? JSON.stringify(value.slice(0, 80)) : typeof value}`,
    });
  }
  return value.toLowerCase() as Hex;
}

/** Asserts `index` is a leaf index the registry accepts (an integer in 0 .. 2^32 - 2). */
export function toLeafIndex(index: unknown): number {
  if (typeof index === "bigint") index = Number(index);
  if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0 || index >= 0xffffffff) {
    throw new InvalidMerkleInputError("A leaf index must be an integer from 0 to 4294967294.", {
      details: `got ${String(index)}`,
    });
  }
  return index;
}
