import { readFileSync } from "node:fs";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import type { CredentialBatch } from "../../src/batch/credentialBatch.ts";
import { buildBatchV2 } from "../../src/batch/buildBatchV2.ts";
import { attachAnchorProofV2 } from "../../src/credential/v2/attachAnchorProofV2.ts";
import { signCredentialV2 } from "../../src/credential/v2/signCredentialV2.ts";

/** The hand-written v2 document of the fixtures (docs/credential-format-v2.md), with placeholder proofs. */
export const shapeV2 = JSON.parse(readFileSync(new URL("../fixtures/v2/credential-v2-shape.json", import.meta.url), "utf8")) as Record<string, unknown>;

/** An Ed25519 key (from a fixed seed) whose controller is its own did:key: the issuer of v2 test credentials. */
export async function issuerKeyV2(seedByte = 42) {
  const seed = new Uint8Array(32).fill(seedByte);
  const probe = await Ed25519Multikey.generate({ seed });
  return Ed25519Multikey.generate({ seed, controller: `did:key:${probe.publicKeyMultibase}` });
}

/** Unsigned credential `index` of a batch issued by `issuerId`: its own id, holder and status entry. */
export function unsignedV2At(index: number, issuerId: string): Record<string, unknown> {
  const { proof: _proof, ...unsigned } = shapeV2;
  const status = shapeV2.credentialStatus as Record<string, string>;
  const subject = structuredClone(shapeV2.credentialSubject) as { identifier: { identityHash: string }[] };
  subject.identifier[0]!.identityHash = `Learner ${index}`;
  return {
    ...structuredClone(unsigned),
    id: `urn:uuid:00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    issuer: { ...(unsigned.issuer as object), id: issuerId },
    credentialSubject: subject,
    credentialStatus: { ...status, id: `${status.statusListCredential}#${index}`, statusListIndex: String(index) },
  };
}

/** `count` signed v2 credentials (signature ids `urn:uuid:10000000-…-<index>`). */
export async function signedV2(count: number, key: Awaited<ReturnType<typeof issuerKeyV2>>): Promise<Record<string, unknown>[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => signCredentialV2(unsignedV2At(index, key.controller), key, `urn:uuid:10000000-0000-4000-8000-${String(index).padStart(12, "0")}`, new Date("2026-01-01T00:00:00Z"))));
}

/** A fixed anchor (not on any chain): for format checks that do not ask a chain. */
export const OFF_CHAIN_ANCHOR = { chainId: "eip155:31337", registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3", issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", transactionHash: `0x${"ab".repeat(32)}`, blockNumber: 1 };

/** Signed credentials in one batch, each with its anchor proof (anchored by `anchor`, at `created`). */
export function anchoredV2(signed: readonly Record<string, unknown>[], anchor = OFF_CHAIN_ANCHOR, created = "2030-01-01T00:00:00Z"): { batch: CredentialBatch; files: Record<string, unknown>[] } {
  const batch = buildBatchV2(signed);
  return { batch, files: signed.map((credential, index) => attachAnchorProofV2(credential, batch, index, anchor, created)) };
}
