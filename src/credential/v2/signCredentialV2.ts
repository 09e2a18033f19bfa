import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import type { Ed25519KeyPair } from "@digitalbazaar/ed25519-multikey";
import * as vc from "@digitalbazaar/vc";
import { InvalidCredentialError } from "../../errors/credentialErrors.ts";
import { packagedDocumentLoader } from "./packagedDocumentLoader.ts";

/**
 * Signs a v2 credential (without `proof`) as W3C Data Integrity `eddsa-rdfc-2022` with `proofPurpose`
 * `assertionMethod` and the key's `did:key` verification method, through `@digitalbazaar/vc` unmodified, with only the
 * packaged contexts. Returns a new document whose `proof` holds that one signature, with `id` (so that the anchor
 * proof can chain to it).
 */
export async function signCredentialV2(credential: Record<string, unknown>, key: Ed25519KeyPair, proofId: string, created: Date): Promise<Record<string, unknown>> {
  // A verifier (and @digitalbazaar/vc) accepts an assertion only from the credential's issuer: the key's DID must be it.
  const issuerId = (credential.issuer as { id?: unknown } | undefined)?.id;
  if (issuerId !== key.controller) {
    throw new InvalidCredentialError("The credential to sign", [{ path: "$.issuer.id", message: `must be the signing key's DID ${key.controller} (is ${JSON.stringify(issuerId)})` }]);
  }
  const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite: eddsaRdfc2022, date: created });
  (suite as { proof?: object }).proof = { id: proofId };
  const signed = await vc.issue({ credential: structuredClone(credential), suite, documentLoader: packagedDocumentLoader });
  const proof = signed.proof;
  return { ...signed, proof: Array.isArray(proof) ? proof : [proof] };
}

/**
 * Whether the credential's `eddsa-rdfc-2022` signature verifies, via `@digitalbazaar/vc` (the anchor proof, a type no
 * cryptosuite claims, is left to the anchor steps). The signature only: revocation and suspension are the verifier's
 * status step, read from the chain, so the library's status check is answered "not checked here" as passed. `now`
 * (default: now) is the moment the library checks validFrom/validUntil at; a verifier with its own validity step
 * passes validFrom, so that only the signature decides.
 */
export async function verifyCredentialSignatureV2(credential: object, options: { readonly now?: string | undefined } = {}): Promise<{ verified: boolean; error?: unknown }> {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  return vc.verifyCredential({ credential, suite, documentLoader: packagedDocumentLoader, checkStatus: signatureOnly, ...(options.now === undefined ? {} : { now: options.now }) });
}

const signatureOnly = async () => ({ verified: true });
