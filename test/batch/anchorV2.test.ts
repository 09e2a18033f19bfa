import { describe, expect, it } from "vitest";
import { buildBatchV2 } from "../../src/batch/buildBatchV2.ts";
import { checkInclusionV2 } from "../../src/batch/checkInclusionV2.ts";
import { attachAnchorProofV2 } from "../../src/credential/v2/attachAnchorProofV2.ts";
import { signCredentialV2, verifyCredentialSignatureV2 } from "../../src/credential/v2/signCredentialV2.ts";
import { InvalidCredentialError } from "../../src/errors/credentialErrors.ts";
import { issuerKeyV2, unsignedV2At } from "../helpers/credentialsV2.ts";
import { deployRegistryFixture } from "../helpers/registryFixture.ts";

// Format v2 end to end at library level, on a real (in-process) chain: signed credentials, their batch anchored by an
// accredited issuer, each file with [signature, anchor proof]; the signature still verifies with @digitalbazaar/vc,
// inclusion recomputes the anchored root, the registry confirms it; changing the signature breaks the anchor.

const issuerKey = () => issuerKeyV2(42);
const credentialAt = unsignedV2At;

describe("format v2 anchoring", () => {
  it("default: 5 signed credentials anchored as one batch verify by signature (vc), by inclusion, and on chain", async () => {
    const key = await issuerKey();
    const signed = await Promise.all(Array.from({ length: 5 }, (_, index) => signCredentialV2(credentialAt(index, key.controller), key, `urn:uuid:10000000-0000-4000-8000-${String(index).padStart(12, "0")}`, new Date("2026-01-01T00:00:00Z"))));
    const batch = buildBatchV2(signed);
    const { registry, as, issuerA, ethers } = await deployRegistryFixture();
    const receipt = await (await as(issuerA).getFunction("anchorBatch")(batch.root, batch.leafCount)).wait();
    const anchor = { chainId: "eip155:31337", registry: await registry.getAddress(), issuer: issuerA.address, transactionHash: receipt.hash as string, blockNumber: Number(receipt.blockNumber) };
    const created = new Date(((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp) * 1000).toISOString().replace(".000Z", "Z");
    for (let index = 0; index < 5; index += 1) {
      const file = attachAnchorProofV2(signed[index]!, batch, index, anchor, created);
      const proofs = file.proof as Record<string, unknown>[];
      expect(proofs.map((proof) => proof.type)).toEqual(["DataIntegrityProof", "CredregAnchorProof2026"]);
      expect(proofs[1]!.previousProof).toBe(proofs[0]!.id);
      const signature = await verifyCredentialSignatureV2(file);
      expect(signature.verified, JSON.stringify(signature.error)).toBe(true);
      const inclusion = checkInclusionV2(file);
      expect(inclusion.included).toBe(true);
      expect(inclusion.computedRoot).toBe(batch.root);
      const status = (await registry.getFunction("credentialStatus")(issuerA.address, batch.root, index, inclusion.credentialHash, batch.proof(index))) as { proofValid: boolean; anchoredAt: bigint };
      expect(status.proofValid).toBe(true);
      expect(status.anchoredAt > 0n).toBe(true);
    }
  });

  it("error: the anchor covers the signature: another signature (even a valid one) or a changed value leaves the tree", async () => {
    const key = await issuerKey();
    const signed = await Promise.all(Array.from({ length: 3 }, (_, index) => signCredentialV2(credentialAt(index, key.controller), key, `urn:uuid:${index}`, new Date("2026-01-01T00:00:00Z"))));
    const batch = buildBatchV2(signed);
    const anchor = { chainId: "eip155:31337", registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3", issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", transactionHash: `0x${"ab".repeat(32)}`, blockNumber: 1 };
    const file = attachAnchorProofV2(signed[1]!, batch, 1, anchor, "2030-01-01T00:00:00Z");
    expect(checkInclusionV2(file).included).toBe(true);
    // Re-signed later (same key, same content, another moment): a valid signature, but not the one anchored.
    const resigned = await signCredentialV2(credentialAt(1, key.controller), key, "urn:uuid:1", new Date("2027-01-01T00:00:00Z"));
    const swapped = { ...file, proof: [(resigned.proof as object[])[0], (file.proof as object[])[1]] };
    expect((await verifyCredentialSignatureV2(swapped)).verified).toBe(true);
    expect(checkInclusionV2(swapped).included).toBe(false);
    const renamed = structuredClone(file);
    (renamed.credentialSubject as { identifier: { identityHash: string }[] }).identifier[0]!.identityHash = "Mallory";
    expect(checkInclusionV2(renamed).included).toBe(false);
  });

  it("error: a batch refuses credentials out of leaf order or unsigned, naming each by position", async () => {
    const key = await issuerKey();
    const signed = await signCredentialV2(credentialAt(0, key.controller), key, "urn:uuid:0", new Date("2026-01-01T00:00:00Z"));
    const unsignedSecond = { ...credentialAt(1, key.controller), proof: [] };
    let caught: unknown;
    try {
      buildBatchV2([signed, signed, unsignedSecond]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCredentialError);
    expect((caught as InvalidCredentialError).problems).toEqual([
      { path: "$[1].credentialStatus.statusListIndex", message: 'must be "1", the credential\'s position in the batch' },
      { path: "$[2].credentialStatus.statusListIndex", message: 'must be "2", the credential\'s position in the batch' },
    ]);
    let unsignedError: unknown;
    try {
      buildBatchV2([signed, { ...credentialAt(1, key.controller), proof: [] }].map((credential, index) => (index === 1 ? { ...credential, credentialStatus: { ...(credential.credentialStatus as object), statusListIndex: "1" } } : credential)));
    } catch (error) {
      unsignedError = error;
    }
    expect((unsignedError as InvalidCredentialError).problems).toEqual([{ path: "$[1].proof", message: "needs its signature (a DataIntegrityProof) before it is anchored" }]);
  });
});
