import { readFileSync } from "node:fs";
import canonicalize from "canonicalize";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";
import { describe, expect, it } from "vitest";
import { checkInclusion } from "../../src/batch/checkInclusion.ts";
import { contentHashOf, credentialHashOf, withoutProof } from "../../src/credential/hashCredential.ts";
import { validateCredential } from "../../src/credential/validateCredential.ts";
import { buildCredentialTree } from "../../src/merkle/buildCredentialTree.ts";
import { credentialLeaf } from "../../src/merkle/credentialLeaf.ts";
import { processProof } from "../../src/merkle/processProof.ts";

type ProofSection = { salt: string; leafIndex: number; merkleRoot: string; merkleProof: string[] };
type FixtureCredential = Record<string, unknown> & { proof: ProofSection };

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/credentials/${name}`, import.meta.url), "utf8"));
const expected = read("expected.json") as {
  root: string;
  leafCount: number;
  credentials: { file: string; contentHash: string; credentialHash: string; leaf: string }[];
};

/** Each frozen credential file, validated by the library (a file that no longer validates fails here). */
function readCredential(file: string): FixtureCredential {
  const credential = read(file);
  const validation = validateCredential(credential);
  expect(validation.ok ? [] : validation.problems, file).toEqual([]);
  return credential as FixtureCredential;
}

describe("frozen credential fixtures", () => {
  it("default: the library recomputes every saved contentHash, credentialHash, leaf and the batch root from the files", () => {
    expect(expected.credentials).toHaveLength(expected.leafCount);
    const recomputed = expected.credentials.map((fixture, position) => {
      const credential = readCredential(fixture.file);
      const { proof } = credential;
      expect(proof.leafIndex, fixture.file).toBe(position);
      const contentHash = contentHashOf(credential);
      const credentialHash = credentialHashOf(proof.salt, contentHash);
      const leaf = credentialLeaf(proof.leafIndex, credentialHash);
      const root = processProof(leaf, proof.merkleProof);
      expect({ contentHash, credentialHash, leaf, root }, fixture.file).toEqual({
        contentHash: fixture.contentHash,
        credentialHash: fixture.credentialHash,
        leaf: fixture.leaf,
        root: expected.root,
      });
      expect(proof.merkleRoot, fixture.file).toBe(expected.root);
      // The verifier's one-call check agrees with the steps above.
      expect(checkInclusion(credential), fixture.file).toEqual({ contentHash, credentialHash, leaf, computedRoot: expected.root, included: true });
      return { credentialHash, merkleProof: proof.merkleProof };
    });
    // The tree built from the recomputed hashes has the saved root and gives back every saved proof.
    const tree = buildCredentialTree(recomputed.map((entry) => entry.credentialHash));
    expect(tree.root).toBe(expected.root);
    recomputed.forEach((entry, index) => expect(tree.proof(index), `proof ${index}`).toEqual(entry.merkleProof));
  });

  it("behavior: any change to a saved credential (content, salt or index) leaves its batch", () => {
    const fixture = expected.credentials[0]!;
    const original = readCredential(fixture.file);
    const changedContent = { ...original, name: `${String(original.name)} ` };
    const changedSalt = { ...original, proof: { ...original.proof, salt: `0x${"12".repeat(32)}` } };
    const changedIndex = { ...original, proof: { ...original.proof, leafIndex: 1 } };
    expect(contentHashOf(changedContent)).not.toBe(fixture.contentHash);
    for (const changed of [changedContent, changedSalt, changedIndex]) {
      const check = checkInclusion(changed);
      expect(check.computedRoot).not.toBe(expected.root);
      expect(check.included).toBe(false);
    }
  });

  it("frozen values: the first fixture's hashes, spelled out, recomputed by the library and by an independent implementation", () => {
    // Pinned here too, so that regenerating expected.json cannot hide a drift of the format.
    const frozen = {
      contentHash: "0x682f6b7e0246eee25df33d4d3e6fdf21d9e05af3d2b9eac17e25034401deea1b",
      credentialHash: "0x8c5315e737723078bf231c3c7750433aabace10e58170de67d20ceb21cac3ef1",
      leaf: "0x721e6ec2ed159e8029d96c0c0971a974f57b04f4d8699c411f38ac6835caa6ed",
      root: "0x1d030d09b48407bb48f01d93bf3d7ac1f41343714d808b1a710fcf80c570c544",
    };
    const credential = readCredential("credential-0.json");
    const { salt, leafIndex, merkleProof } = credential.proof;

    const contentHash = contentHashOf(credential);
    const credentialHash = credentialHashOf(salt, contentHash);
    const leaf = credentialLeaf(leafIndex, credentialHash);
    expect({ contentHash, credentialHash, leaf, root: processProof(leaf, merkleProof) }).toEqual(frozen);

    // The same values from the `canonicalize` package and ethers alone, following docs/credential-format.md.
    const abi = AbiCoder.defaultAbiCoder();
    const independentContentHash = keccak256(toUtf8Bytes(canonicalize(withoutProof(credential))!));
    const independentCredentialHash = keccak256(abi.encode(["bytes32", "bytes32"], [salt, independentContentHash]));
    const independentLeaf = keccak256(keccak256(abi.encode(["uint256", "bytes32"], [leafIndex, independentCredentialHash])));
    expect({ contentHash: independentContentHash, credentialHash: independentCredentialHash, leaf: independentLeaf }).toEqual({
      contentHash: frozen.contentHash,
      credentialHash: frozen.credentialHash,
      leaf: frozen.leaf,
    });
  });
});
