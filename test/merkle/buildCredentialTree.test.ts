import { id, keccak256 } from "ethers";
import { describe, expect, it } from "vitest";
import { InvalidMerkleInputError } from "../../src/errors/merkleErrors.ts";
import { buildCredentialTree } from "../../src/merkle/buildCredentialTree.ts";
import { credentialLeaf } from "../../src/merkle/credentialLeaf.ts";
import { processProof } from "../../src/merkle/processProof.ts";

const hashesOf = (size: number, salt = "") => Array.from({ length: size }, (_, index) => id(`${salt}${index}`));

describe("buildCredentialTree", () => {
  it("default: every leaf's proof leads to the root, for sizes 1 to 70", () => {
    for (let size = 1; size <= 70; size += 1) {
      const hashes = hashesOf(size);
      const tree = buildCredentialTree(hashes);
      expect(tree.leafCount).toBe(size);
      for (let index = 0; index < size; index += 1) {
        expect(tree.leaf(index)).toBe(credentialLeaf(index, hashes[index]!));
        expect(processProof(tree.leaf(index), tree.proof(index))).toBe(tree.root);
      }
    }
  });

  it("behavior: a one-credential batch has its leaf as root and an empty proof", () => {
    const [hash] = hashesOf(1);
    const tree = buildCredentialTree([hash!]);
    expect(tree.root).toBe(credentialLeaf(0, hash!));
    expect(tree.proof(0)).toEqual([]);
  });

  it("behavior: a proof from another tree, or for another index, does not lead to the root", () => {
    const tree = buildCredentialTree(hashesOf(33));
    const other = buildCredentialTree(hashesOf(33, "other"));
    for (let index = 0; index < 33; index += 1) {
      expect(processProof(tree.leaf(index), other.proof(index))).not.toBe(tree.root);
      expect(processProof(tree.leaf(index), tree.proof((index + 1) % 33))).not.toBe(tree.root);
    }
  });

  it("behavior: the root depends on order, on every hash and on the index binding", () => {
    const hashes = hashesOf(8);
    const root = buildCredentialTree(hashes).root;
    expect(buildCredentialTree([...hashes].reverse()).root).not.toBe(root);
    for (let index = 0; index < 8; index += 1) {
      const changed = [...hashes];
      changed[index] = id(`changed ${index}`);
      expect(buildCredentialTree(changed).root).not.toBe(root);
    }
    // Same hash at two positions gives two different leaves.
    expect(credentialLeaf(0, hashes[0]!)).not.toBe(credentialLeaf(1, hashes[0]!));
  });

  it("behavior: upper-case hex is accepted and normalised", () => {
    const hashes = hashesOf(3);
    const upper = hashes.map((hash) => `0x${hash.slice(2).toUpperCase()}`);
    expect(buildCredentialTree(upper).root).toBe(buildCredentialTree(hashes).root);
  });

  it("error: an empty batch", () => {
    expect(() => buildCredentialTree([])).toThrowError(new InvalidMerkleInputError("A batch needs at least one credential hash."));
  });

  it("error: a malformed hash names its position", () => {
    const hashes = hashesOf(3);
    hashes[1] = "0x1234";
    expect(() => buildCredentialTree(hashes)).toThrowError(/credentialHashes\[1\] must be a 0x-prefixed 32-byte hex string/);
  });

  it("error: a proof for an index outside the batch", () => {
    const tree = buildCredentialTree(hashesOf(3));
    expect(() => tree.proof(3)).toThrowError("Leaf index 3 is not in this batch of 3.");
    expect(() => tree.proof(-1)).toThrowError(InvalidMerkleInputError);
    expect(() => tree.leaf(1.5)).toThrowError(InvalidMerkleInputError);
  });
});

describe("credentialLeaf", () => {
  it("default: is keccak256(keccak256(abi.encode(uint256 index, bytes32 hash)))", async () => {
    const { AbiCoder, keccak256 } = await import("ethers");
    const hash = id("x");
    const expected = keccak256(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256", "bytes32"], [123456789, hash])));
    expect(credentialLeaf(123456789, hash)).toBe(expected);
    expect(credentialLeaf(123456789n, hash)).toBe(expected);
  });

  it("error: rejects indices the registry cannot hold", () => {
    for (const bad of [-1, 1.5, 0xffffffff, Number.NaN]) {
      expect(() => credentialLeaf(bad, id("x"))).toThrowError("A leaf index must be an integer from 0 to 4294967294.");
    }
  });
});

describe("processProof", () => {
  it("behavior: equals an independent sorted-pair walk, first time and again (remembered nodes), past the bound of what it remembers", () => {
    const independent = (leaf: string, proof: readonly string[]) =>
      proof.reduce((node, sibling) => {
        const [a, b] = [Buffer.from(node.slice(2), "hex"), Buffer.from(sibling.slice(2), "hex")];
        return keccak256(Buffer.compare(a, b) <= 0 ? Buffer.concat([a, b]) : Buffer.concat([b, a]));
      }, leaf);
    // 3,000 proofs of 24 random siblings: 72,000 pairs, beyond the 65,536 remembered.
    const cases = Array.from({ length: 3000 }, (_, index) => ({ leaf: id(`leaf ${index}`), proof: Array.from({ length: 24 }, (_, level) => id(`${index % 7} ${level} ${index % 3 === 0 ? index : 0}`)) }));
    for (const round of [1, 2]) {
      for (const { leaf, proof } of cases) expect(processProof(leaf, proof), `round ${round}`).toBe(independent(leaf, proof));
    }
    // Upper-case input is the same node.
    expect(processProof(cases[0]!.leaf.toUpperCase().replace("0X", "0x"), cases[0]!.proof.map((sibling) => sibling.toUpperCase().replace("0X", "0x")))).toBe(independent(cases[0]!.leaf, cases[0]!.proof));
  });

  it("error: a malformed sibling names its position", () => {
    expect(() => processProof(id("a"), [id("b"), "0xzz"])).toThrowError(/proof\[1\] must be a 0x-prefixed 32-byte hex string/);
  });
});
