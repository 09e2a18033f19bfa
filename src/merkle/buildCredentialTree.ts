import { MerkleTree } from "merkletreejs";
import { keccak256 } from "../crypto/keccak256.ts";
import { InvalidMerkleInputError } from "../errors/merkleErrors.ts";
import { credentialLeafBuffer } from "./credentialLeaf.ts";
import { type Hex, toBytes32 } from "./hex.ts";

/** The largest batch the registry accepts (`leafCount` is a `uint32`; indices must fit below it). */
export const MAX_BATCH_SIZE = 0xffffffff;

/** A batch's Merkle tree: leaf `i` is the leaf of credential index `i`. */
export type CredentialTree = {
  readonly root: Hex;
  readonly leafCount: number;
  /** The leaf of credential `index`. */
  leaf(index: number): Hex;
  /** The inclusion proof of credential `index` (sibling hashes, leaf to root), as OpenZeppelin's MerkleProof reads it. */
  proof(index: number): Hex[];
};

/**
 * Builds the Merkle tree of a batch from its credential hashes, in index order (hash `i` is credential `i`).
 *
 * The tree uses sorted pairs (what OpenZeppelin's `MerkleProof` verifies), promotes an odd node unchanged, and
 * finds every proof by its leaf index (never by searching the leaves).
 */
export function buildCredentialTree(credentialHashes: readonly string[]): CredentialTree {
  checkBatchSize(credentialHashes.length);
  return treeFromLeaves(
    credentialHashes.map((hash, index) =>
      credentialLeafBuffer(index, Buffer.from(toBytes32(hash, `credentialHashes[${index}]`).slice(2), "hex")),
    ),
  );
}

/** Throws unless `leafCount` is a batch size the registry accepts. */
export function checkBatchSize(leafCount: number): void {
  if (leafCount === 0) throw new InvalidMerkleInputError("A batch needs at least one credential hash.");
  if (leafCount > MAX_BATCH_SIZE) {
    throw new InvalidMerkleInputError(`A batch holds at most ${MAX_BATCH_SIZE} credentials.`, { details: `got ${leafCount}` });
  }
}

/** The tree over already-computed leaves (leaf `i` for credential `i`): merkletreejs, sorted pairs, by-index proofs. */
export function treeFromLeaves(leaves: readonly Buffer[]): CredentialTree {
  const leafCount = leaves.length;
  const tree = new MerkleTree(leaves as Buffer[], keccak256, { sortPairs: true });
  const root = tree.getHexRoot() as Hex;

  const leafAt = (index: number): Buffer => {
    const leaf = Number.isInteger(index) ? leaves[index] : undefined;
    if (leaf === undefined) {
      throw new InvalidMerkleInputError(`Leaf index ${index} is not in this batch of ${leafCount}.`, {
        metaMessages: [`Valid indices are 0 to ${leafCount - 1}.`],
      });
    }
    return leaf;
  };

  return {
    root,
    leafCount,
    leaf: (index) => `0x${leafAt(index).toString("hex")}`,
    proof: (index) => tree.getHexProof(leafAt(index), index) as Hex[],
  };
}
