import { keccak256 } from "../../crypto/keccak256.ts";
import { InvalidCredentialError } from "../../errors/credentialErrors.ts";
import { canonicalJson } from "../canonicalJson.ts";
import { ANCHOR_PROOF_TYPE_V2 } from "./credregContextV2.ts";

/**
 * What a v2 anchor covers: the credential with its signature, i.e. its `proof` array without the anchor proof. So
 * the chain timestamps the signature too (a key revoked for compromise invalidates only what was anchored after).
 */
export function signedContentOf(credential: Record<string, unknown>): Record<string, unknown> {
  const proofs = credential.proof;
  if (!Array.isArray(proofs)) throw new InvalidCredentialError("The credential", [{ path: "$.proof", message: "must be an array of proofs (format v2)" }]);
  const signatures = proofs.filter((proof) => (proof as { type?: unknown } | null)?.type !== ANCHOR_PROOF_TYPE_V2);
  if (signatures.length === 0) throw new InvalidCredentialError("The credential", [{ path: "$.proof", message: "needs its signature (a DataIntegrityProof) before it is anchored" }]);
  return { ...credential, proof: signatures };
}

/** `contentHash` of format v2: keccak256 of the RFC 8785 form of {@link signedContentOf}, as a Buffer. */
export function contentHashV2Buffer(credential: Record<string, unknown>): Buffer {
  return keccak256(Buffer.from(canonicalJson(signedContentOf(credential)), "utf8"));
}
