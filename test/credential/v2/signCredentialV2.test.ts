import { readFileSync } from "node:fs";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { describe, expect, it } from "vitest";
import { signCredentialV2, verifyCredentialSignatureV2 } from "../../../src/credential/v2/signCredentialV2.ts";

// The v2 signature is a W3C Data Integrity eddsa-rdfc-2022 proof made and checked by the published libraries
// (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022-cryptosuite) with only the packaged contexts and did:key.

const shape = JSON.parse(readFileSync(new URL("../../fixtures/v2/credential-v2-shape.json", import.meta.url), "utf8")) as Record<string, unknown>;
const { proof: shapeProofs, ...unsigned } = shape;
const anchorProof = (shapeProofs as Record<string, unknown>[])[1]!;

async function issuerKey(seedByte: number) {
  const seed = new Uint8Array(32).fill(seedByte);
  const probe = await Ed25519Multikey.generate({ seed });
  const controller = `did:key:${probe.publicKeyMultibase}`;
  return Ed25519Multikey.generate({ seed, controller });
}

/** The shape's credential issued by `key`: its issuer id is the key's DID (the profile URL moves to `issuer.url`). */
const issuedBy = (key: { controller: string }) => ({ ...unsigned, issuer: { ...(unsigned.issuer as object), id: key.controller } });

describe("signCredentialV2", () => {
  it("default: a signed v2 credential verifies with @digitalbazaar/vc, its proof an array with one eddsa-rdfc-2022 assertion", async () => {
    const key = await issuerKey(7);
    const signed = await signCredentialV2(issuedBy(key), key, "urn:uuid:0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b", new Date("2026-01-01T00:00:00Z"));
    const proofs = signed.proof as Record<string, unknown>[];
    expect(proofs).toHaveLength(1);
    expect(proofs[0]).toMatchObject({
      id: "urn:uuid:0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b",
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-rdfc-2022",
      proofPurpose: "assertionMethod",
      verificationMethod: `did:key:${key.publicKeyMultibase}#${key.publicKeyMultibase}`,
      created: "2026-01-01T00:00:00Z",
    });
    expect(proofs[0]!.proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]+$/);
    const result = await verifyCredentialSignatureV2(signed);
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
  });

  it("behavior: with the anchor proof chained after it (two proofs), the signature still verifies with the published library", async () => {
    const key = await issuerKey(8);
    const signed = await signCredentialV2(issuedBy(key), key, "urn:uuid:0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b", new Date("2026-01-01T00:00:00Z"));
    const withAnchor = { ...signed, proof: [...(signed.proof as object[]), anchorProof] };
    const result = await verifyCredentialSignatureV2(withAnchor);
    expect(result.verified, JSON.stringify(result.error)).toBe(true);
  });

  it("error: a changed value, a changed proof option or another key's verification method fails verification", async () => {
    const key = await issuerKey(9);
    const other = await issuerKey(10);
    const signed = await signCredentialV2(issuedBy(key), key, "urn:uuid:0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b", new Date("2026-01-01T00:00:00Z"));
    const renamed = structuredClone(signed);
    (renamed.credentialSubject as Record<string, Record<string, unknown>>).achievement!.name = "Doctor of Medicine";
    const redated = structuredClone(signed);
    (redated.proof as Record<string, unknown>[])[0]!.created = "2025-01-01T00:00:00Z";
    const rekeyed = structuredClone(signed);
    (rekeyed.proof as Record<string, unknown>[])[0]!.verificationMethod = `did:key:${other.publicKeyMultibase}#${other.publicKeyMultibase}`;
    for (const forged of [renamed, redated, rekeyed]) expect((await verifyCredentialSignatureV2(forged)).verified).toBe(false);
  });

  it("error: the issuer must be the signing key's DID (a wallet refuses an assertion from anyone else)", async () => {
    const key = await issuerKey(11);
    await expect(signCredentialV2(unsigned, key, "urn:uuid:1", new Date())).rejects.toThrow(/is not valid/);
    const other = await issuerKey(12);
    const signed = await signCredentialV2(issuedBy(key), key, "urn:uuid:1", new Date("2026-01-01T00:00:00Z"));
    const reissued = { ...signed, issuer: { ...(signed.issuer as object), id: other.controller } };
    expect((await verifyCredentialSignatureV2(reissued)).verified).toBe(false);
  });
});
