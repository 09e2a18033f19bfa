import { expect } from "chai";
import { id } from "ethers";
import { describe, it } from "vitest";
import { type OnChainCredentialStatus, readCredentialStatuses, type RawStatus, toOnChainStatus } from "../../src/chain/readCredentialStatus.ts";
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
      const { registry, as, issuerA, issuerB, blockTime } = await deployRegistryFixture();
      const hashes = Array.from({ length: size }, (_, index) => id(`credential ${size}/${index}`));
      const tree = buildCredentialTree(hashes);
      const anchor = await as(issuerA).getFunction("anchorBatch")(tree.root, size);
      const { blockNumber } = (await anchor.wait()) as { blockNumber: number };
      const accreditedAt = async (issuer: { address: string }) => Number(((await registry.getFunction("issuer")(issuer.address)) as { accreditedAt: bigint }).accreditedAt);
      const credentialStatus = async (...query: unknown[]) => toOnChainStatus((await registry.getFunction("credentialStatus")(...query)) as RawStatus);
      // What the registry answers for a credential of this batch: every field, the proof's validity aside.
      const batchFields: OnChainCredentialStatus = {
        proofValid: false,
        indexInRange: true,
        revoked: false,
        suspended: false,
        batchRevoked: false,
        leafCount: size,
        anchoredAt: await blockTime(anchor),
        anchoredBlock: blockNumber,
        batchRevokedAt: 0,
        batchRevocationReason: 0,
        issuerAccreditedAt: await accreditedAt(issuerA),
        issuerDeactivatedAt: 0,
      };
      const genuine = { ...batchFields, proofValid: true };

      const indices = Array.from({ length: size }, (_, index) => index);
      const statuses = await inBatches(indices, 64, (index) => credentialStatus(issuerA.address, tree.root, index, hashes[index], tree.proof(index)));
      statuses.forEach((status, index) => expect(status, `leaf ${index} of ${size}`).to.deep.equal(genuine));

      // The bulk view agrees (chunked by the library: one eth_call has a gas cap).
      const bulk = await readCredentialStatuses(
        registry,
        indices.map((index) => ({ issuer: issuerA.address, root: tree.root, index, credentialHash: hashes[index]!, proof: tree.proof(index) })),
      );
      expect(bulk).to.deep.equal(indices.map(() => genuine));

      // Wrong hash, wrong index, wrong proof: the same answer but for proofValid.
      const last = size - 1;
      expect(await credentialStatus(issuerA.address, tree.root, last, id("forged"), tree.proof(last))).to.deep.equal(batchFields);
      if (size > 1) {
        expect(await credentialStatus(issuerA.address, tree.root, 0, hashes[last], tree.proof(last)), "moved index").to.deep.equal(batchFields);
        expect(await credentialStatus(issuerA.address, tree.root, 0, hashes[0], tree.proof(last)), "swapped proof").to.deep.equal(batchFields);
      }
      // Another issuer's claim on the same root: the proof is fine, but that issuer never anchored it.
      expect(await credentialStatus(issuerB.address, tree.root, 0, hashes[0], tree.proof(0))).to.deep.equal({
        ...genuine,
        indexInRange: false,
        leafCount: 0,
        anchoredAt: 0,
        anchoredBlock: 0,
        issuerAccreditedAt: await accreditedAt(issuerB),
      });
    });
  }

  it("never accepts an internal node as a leaf (leaves are double-hashed)", async () => {
    const { registry, as, issuerA } = await deployRegistryFixture();
    const hashes = Array.from({ length: 4 }, (_, index) => id(`node ${index}`));
    const tree = buildCredentialTree(hashes);
    await (await as(issuerA).getFunction("anchorBatch")(tree.root, 4)).wait();
    // The genuine leaf 2 verifies; its parent node, presented as a leaf, never does.
    expect((await registry.getFunction("credentialStatus")(issuerA.address, tree.root, 2, hashes[2], tree.proof(2))).proofValid).to.equal(true);
    // The parent of leaves 0 and 1 is proof(2)[1]; presenting it with proof(2)'s upper part must fail for any index.
    const parent = tree.proof(2)[1]!;
    const upper = tree.proof(0).slice(1);
    for (const index of [0, 1, 2, 3]) {
      const status = await registry.getFunction("credentialStatus")(issuerA.address, tree.root, index, parent, upper);
      expect([status.proofValid, status.indexInRange, status.leafCount], `index ${index}`).to.deep.equal([false, true, 4n]);
    }
  });
});
