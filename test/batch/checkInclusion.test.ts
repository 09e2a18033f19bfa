import { expect as chaiExpect } from "chai";
import { describe, expect, it } from "vitest";
import { attachProof, proofCreatedAt } from "../../src/batch/attachProof.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { checkInclusion } from "../../src/batch/checkInclusion.ts";
import { readCredentialStatuses } from "../../src/chain/readCredentialStatus.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { validateCredential } from "../../src/credential/validateCredential.ts";
import { deployRegistryFixture } from "../helpers/registryFixture.ts";
import { sampleTemplate } from "../helpers/sampleCredentials.ts";

const people = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` }));

describe("checkInclusion × the deployed registry", () => {
  for (const size of [1, 2, 3, 5, 1000, 1001]) {
    it(`agrees with credentialStatus on every credential file of a ${size}-credential batch, genuine or tampered`, async () => {
      const { registry, as, issuerA } = await deployRegistryFixture();
      const template = sampleTemplate({ registry: { chainId: 31337, address: await registry.getAddress() } });
      const batch = await buildBatchFromRecipients(template, people(size));
      const response = await as(issuerA).getFunction("anchorBatch")(batch.root, size);
      const receipt = await response.wait();
      const anchor = {
        chainId: "eip155:31337",
        registry: await registry.getAddress(),
        issuer: issuerA.address,
        transactionHash: receipt.hash as string,
        blockNumber: receipt.blockNumber as number,
      };
      const created = proofCreatedAt((await receipt.getBlock()).timestamp);
      const files: Credential[] = Array.from({ length: size }, (_, index) => attachProof(batch.credential(index), batch, index, anchor, created));
      // Tampered copies: the holder's name changed (content), or the proof moved to another index.
      const tampered = files.slice(0, 3).map((file) => {
        const copy = structuredClone(file);
        copy.credentialSubject.identifier[0]!.identityHash = "Mallory";
        return copy;
      });
      const all = [...files, ...tampered];
      const offChain = all.map((file) => checkInclusion(file));
      const onChain = await readCredentialStatuses(
        registry,
        all.map((file, position) => ({
          issuer: issuerA.address,
          root: file.proof.merkleRoot,
          index: file.proof.leafIndex,
          credentialHash: offChain[position]!.credentialHash,
          proof: file.proof.merkleProof,
        })),
      );
      all.forEach((_file, position) => {
        const genuine = position < size;
        expect(offChain[position]!.included, `off chain, file ${position}`).toBe(genuine);
        chaiExpect(onChain[position]!.proofValid, `on chain, file ${position}`).to.equal(genuine);
        expect(onChain[position]!.anchoredAt).toBeGreaterThan(0);
      });
      expect(validateCredential(files[size - 1]).ok).toBe(true);
    });
  }
});
