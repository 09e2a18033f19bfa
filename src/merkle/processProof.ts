import { keccak256 } from "../crypto/keccak256.ts";
import { type Hex, toBytes32 } from "./hex.ts";

/**
 * Internal nodes already computed: by the lower of the sorted pair, then by the higher (64 lower-case hex digits
 * each, no 0x). Two lookups of strings whose hashes the engine keeps are cheaper than one of the 128-digit pair.
 */
const nodes = new Map<string, Map<string, string>>();
let nodeCount = 0;
/** Bound of the nodes remembered: about 20 MB of strings; everything is forgotten when full. */
const MAX_NODES = 65_536;

/** keccak256 of two 32-byte nodes in sorted order, as 64 lower-case hex digits (no 0x). */
function hashPair(left: string, right: string): string {
  const low = left <= right ? left : right;
  const high = low === left ? right : left;
  let parents = nodes.get(low);
  let node = parents?.get(high);
  if (node === undefined) {
    node = keccak256(Buffer.from(low + high, "hex")).toString("hex");
    if (nodeCount >= MAX_NODES) {
      nodes.clear();
      nodeCount = 0;
      parents = undefined;
    }
    if (parents === undefined) nodes.set(low, (parents = new Map()));
    parents.set(high, node);
    nodeCount += 1;
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
