// node scripts/measureSigningV2.ts [count]: milliseconds per v2 credential signed by the published path
// (signCredentialV2: @digitalbazaar/vc, data-integrity, eddsa-rdfc-2022) and by createFastSignerV2, the steps in
// between, and where the time of the fast path goes. One process, one thread; credentials are test/helpers' batch
// (the v2 fixture with its own id, holder and status entry each).
import { createHash, createPrivateKey, sign as ed25519Sign } from "node:crypto";
import { _checkCredential } from "@digitalbazaar/vc";
import { encodeBase58 } from "ethers";
import jsonld from "jsonld";
import { canonize } from "rdf-canonize";
import { canonicalNQuadsByCryptosuiteV2 } from "../src/credential/v2/canonicalNQuadsByCryptosuiteV2.ts";
import { createFastSignerV2 } from "../src/credential/v2/createFastSignerV2.ts";
import { knownShapesAgreeWithJsonLdV2 } from "../src/credential/v2/knownShapesAgreeWithJsonLdV2.ts";
import { packagedDocumentLoader } from "../src/credential/v2/packagedDocumentLoader.ts";
import { quadsOfKnownShapeV2 } from "../src/credential/v2/quadsOfKnownShapeV2.ts";
import { signCredentialV2 } from "../src/credential/v2/signCredentialV2.ts";
import { issuerKeyV2, unsignedV2At } from "../test/helpers/credentialsV2.ts";

const count = Number(process.argv[2] ?? 500);
const key = await issuerKeyV2();
const signer = key.signer();
const created = new Date("2026-01-01T00:00:00Z");
const credentials = Array.from({ length: count }, (_, index) => unsignedV2At(index, key.controller));
const proofIdOf = (index: number) => `urn:uuid:10000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
const proofOptionsOf = (index: number) => ({
  "@context": credentials[index]!["@context"],
  id: proofIdOf(index),
  type: "DataIntegrityProof",
  created: "2026-01-01T00:00:00Z",
  verificationMethod: signer.id,
  cryptosuite: "eddsa-rdfc-2022",
  proofPurpose: "assertionMethod",
});
const sha256 = (text: string) => createHash("sha256").update(text).digest();
const nquads = { algorithm: "RDFC-1.0", format: "application/n-quads" } as const;

/** Milliseconds per credential of `step` over all credentials (after a warm-up on the first 50). */
async function perCredential(step: (index: number) => unknown): Promise<number> {
  for (let index = 0; index < Math.min(50, count); index++) await step(index);
  const started = performance.now();
  for (let index = 0; index < count; index++) await step(index);
  return (performance.now() - started) / count;
}

const rows: [string, number][] = [];
const measure = async (label: string, step: (index: number) => unknown) => {
  const ms = await perCredential(step);
  rows.push([label, ms]);
  console.log(`${label.padEnd(78)} ${ms.toFixed(3).padStart(8)} ms`);
};

console.log(`v2 signing, ${count} credentials, Node ${process.version}, one thread (ms per credential)\n`);
const agree = await knownShapesAgreeWithJsonLdV2();
console.log(`table agrees with jsonld on every probe: ${agree}\n`);

console.log("Published path and what it is made of");
await measure("signCredentialV2 (vc.issue, DataIntegrityProof, eddsa-rdfc-2022)", (index) => signCredentialV2(credentials[index]!, key, proofIdOf(index), created));
await measure("  jsonld.expand, safe mode (shared context cache)", (index) => jsonld.expand(credentials[index]!, { documentLoader: packagedDocumentLoader, safe: true, base: null }));
await measure("  cryptosuite canonize of the document (jsonld.toRDF + RDFC-1.0)", (index) => canonicalNQuadsByCryptosuiteV2(credentials[index]!));
await measure("  cryptosuite canonize of the proof options", (index) => canonicalNQuadsByCryptosuiteV2(proofOptionsOf(index)));

console.log("\n(a) one jsonld.toRDF + one rdf-canonize per document, contexts cached across credentials");
await measure("  document and proof options through jsonld, sha256, Ed25519", async (index) => {
  const [proofForm, documentForm] = await Promise.all([canonicalNQuadsByCryptosuiteV2(proofOptionsOf(index)), canonicalNQuadsByCryptosuiteV2(credentials[index]!)]);
  await signer.sign({ data: Buffer.concat([sha256(proofForm), sha256(documentForm)]) });
});
console.log("(a)+(b) proof options from the table (only id and created change)");
await measure("  document through jsonld, proof options from the table, sha256, Ed25519", async (index) => {
  const [proofForm, documentForm] = await Promise.all([canonize(quadsOfKnownShapeV2(proofOptionsOf(index))!, nquads), canonicalNQuadsByCryptosuiteV2(credentials[index]!)]);
  await signer.sign({ data: Buffer.concat([sha256(proofForm), sha256(documentForm)]) });
});

console.log("\n(c) createFastSignerV2: the dataset from the table of v2 terms, then what the cryptosuite does");
const fastSigner = createFastSignerV2(key);
await measure("createFastSignerV2().sign", (index) => fastSigner.sign(credentials[index]!, proofIdOf(index), created));
const documentQuads = credentials.map((credential) => quadsOfKnownShapeV2(credential)!);
const proofQuads = credentials.map((_, index) => quadsOfKnownShapeV2(proofOptionsOf(index))!);
const documentForms = await Promise.all(documentQuads.map((quads) => canonize(quads, nquads)));
const verifyData = documentForms.map((form, index) => Buffer.concat([sha256(form), sha256(form + index)]));
const secretKeyObject = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from((key as unknown as { secretKey: Uint8Array }).secretKey.subarray(0, 32))]), format: "der", type: "pkcs8" });
await measure("  structuredClone + vc's _checkCredential", (index) => _checkCredential({ credential: structuredClone(credentials[index]!), mode: "issue" }));
await measure("  dataset of the document from the table", (index) => quadsOfKnownShapeV2(credentials[index]!));
await measure("  dataset of the proof options from the table", (index) => quadsOfKnownShapeV2(proofOptionsOf(index)));
await measure("  canonicalization RDFC-1.0 (rdf-canonize) of the document", (index) => canonize(documentQuads[index]!, nquads));
await measure("  canonicalization RDFC-1.0 (rdf-canonize) of the proof options", (index) => canonize(proofQuads[index]!, nquads));
await measure("  hashing: sha256 of both canonical forms", (index) => Buffer.concat([sha256(documentForms[index]!), sha256(documentForms[index]!)]));
await measure("  Ed25519 with the key's signer (Ed25519Multikey: a new KeyObject per call)", (index) => signer.sign({ data: verifyData[index]! }));
await measure("  Ed25519 with one node KeyObject (floor, not used by the signer)", (index) => ed25519Sign(null, verifyData[index]!, secretKeyObject));
await measure("  base58btc of the signature", (index) => encodeBase58(verifyData[index]!));

let identical = 0;
for (let index = 0; index < count; index++) {
  const [fastDocument, publishedDocument] = await Promise.all([fastSigner.sign(credentials[index]!, proofIdOf(index), created), signCredentialV2(credentials[index]!, key, proofIdOf(index), created)]);
  if (JSON.stringify(fastDocument) === JSON.stringify(publishedDocument)) identical += 1;
}
const published = rows[0]![1];
const fastest = rows.find(([label]) => label === "createFastSignerV2().sign")![1];
console.log(`\nidentical signed documents (fast vs published): ${identical}/${count}; fast path taken ${fastSigner.counts.fast}, published ${fastSigner.counts.generic}`);
console.log(`speed-up ${(published / fastest).toFixed(1)}x; 100,000 credentials on 2 cores, signing only: published ${((published * 100_000) / 2 / 1000).toFixed(0)} s, fast ${((fastest * 100_000) / 2 / 1000).toFixed(0)} s (budget for everything: 150 s)`);
