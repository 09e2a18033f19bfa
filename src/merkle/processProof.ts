import { keccak256 } from "../crypto/keccak256.ts";
import { type Hex, toBytes32 } from "./hex.ts";

/** Internal nodes already computed, by the 128 hex digits of the sorted pair hashed (lower case). */
const nodes = new Map<string, string>();
/** Bound of {@link nodes}: about 20 MB of strings; the map starts over when full. */
const MAX_NODES = 65_536;

/** keccak256 of two 32-byte nodes in sorted order, as 64 lower-case hex digits (no 0x). */
function hashPair(left: string, right: string): string {
  const pair = left <= right ? left + right : right + left;
  let node = nodes.get(pair);
  if (node === undefined) {
    node = keccak256(Buffer.from(pair, "hex")).toString("hex");
    if (nodes.size >= MAX_NODES) nodes.clear();
    nodes.set(pair, node);
  }
  return node;
}

/**
 * The root reached from `leaf` through `proof` with sorted-pair hashing: the off-chain twin of OpenZeppelin's
 * `MerkleProof.processProof`. Internal nodes are remembered (a bounded cache keyed by the exact pair): the
 * credentials of one batch share the upper levels of their proofs, so verifying a whole batch hashes each node once.
 */
export function processProof(leaf: string, proof: readonly string[]): Hex {
  // Lower-case hex of equal length sorts exactly as the bytes do.
  let computed = toBytes32(leaf, "leaf").slice(2);
  proof.forEach((sibling, position) => {
    computed = hashPair(computed, toBytes32(sibling, `proof[${position}]`).slice(2));
  });
  return `0x${computed}`;
}
