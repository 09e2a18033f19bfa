import { expect } from "chai";
import { id } from "ethers";
import { describe, it } from "vitest";
import { readCredentialStatuses } from "../../src/chain/readCredentialStatus.ts";
import { buildCredentialTree } from "../../src/merkle/buildCredentialTree.ts";
import { deployRegistryFixture } from "../helpers/registryFixture.ts";

/** Runs `task` over `items` with at most `limit` in flight. */
async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map(task))));
  }
  return results;
}

describe("CredentialRegistry × merkletreejs: every proof verifies on chain", () => {
  for (const size of [1, 2, 3, 5, 1000, 1001]) {
    it(`verifies every leaf of a ${size}-credential batch through credentialStatus, and no wrong one`, async () => {
      const { registry, as, issuerA, issuerB } = await deployRegistryFixture();
      const hashes = Array.from({ length: size }, (_, index) => id(`credential ${size}/${index}`));
      const tree = buildCredentialTree(hashes);
      await (await as(issuerA).getFunction("anchorBatch")(tree.root, size)).wait();
      const credentialStatus = registry.getFunction("credentialStatus");

      const indices = Array.from({ length: size }, (_, index) => index);
      const statuses = await inBatches(indices, 64, (index) =>
        credentialStatus(issuerA.address, tree.root, index, hashes[index], tree.proof(index)),
      );
      statuses.forEach((status, index) => {
        expect(status.proofValid, `leaf ${index} of ${size}`).to.equal(true);
        expect(status.indexInRange, `leaf ${index} of ${size}`).to.equal(true);
        expect(status.leafCount).to.equal(BigInt(size));
      });

      // The bulk view agrees (chunked by the library: one eth_call has a gas cap).
      const bulk = await readCredentialStatuses(
        registry,
        indices.map((index) => ({ issuer: issuerA.address, root: tree.root, index, credentialHash: hashes[index]!, proof: tree.proof(index) })),
      );
      expect(bulk.length).to.equal(size);
      expect(bulk.every((status) => status.proofValid && status.indexInRange)).to.equal(true);

      // Wrong hash, wrong index, another issuer's claim: never valid or never anchored.
      const last = size - 1;
      const wrongHash = await credentialStatus(issuerA.address, tree.root, last, id("forged"), tree.proof(last));
      expect(wrongHash.proofValid).to.equal(false);
      if (size > 1) {
        const movedIndex = await credentialStatus(issuerA.address, tree.root, 0, hashes[last], tree.proof(last));
        expect(movedIndex.proofValid).to.equal(false);
        const swappedProof = await credentialStatus(issuerA.address, tree.root, 0, hashes[0], tree.proof(last));
        expect(swappedProof.proofValid).to.equal(false);
      }
      const otherIssuer = await credentialStatus(issuerB.address, tree.root, 0, hashes[0], tree.proof(0));
      expect(otherIssuer.anchoredAt).to.equal(0n);
    });
  }

  it("never accepts an internal node as a leaf (leaves are double-hashed)", async () => {
    const { registry, as, issuerA } = await deployRegistryFixture();
    const hashes = Array.from({ length: 4 }, (_, index) => id(`node ${index}`));
    const tree = buildCredentialTree(hashes);
    await (await as(issuerA).getFunction("anchorBatch")(tree.root, 4)).wait();
    // The parent of leaves 0 and 1 is proof(2)[1]; presenting it with proof(2)'s upper part must fail for any index.
    const parent = tree.proof(2)[1]!;
    const upper = tree.proof(0).slice(1);
    for (const index of [0, 1, 2, 3]) {
      const status = await registry.getFunction("credentialStatus")(issuerA.address, tree.root, index, parent, upper);
      expect(status.proofValid).to.equal(false);
    }
  });
});
