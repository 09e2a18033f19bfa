import { contentHashOf, credentialHashOf } from "../credential/hashCredential.ts";
import { credentialLeaf } from "../merkle/credentialLeaf.ts";
import type { Hex } from "../merkle/hex.ts";
import { processProof } from "../merkle/processProof.ts";

/** Everything recomputed from a credential file, off chain. */
export type InclusionCheck = {
  readonly contentHash: Hex;
  readonly credentialHash: Hex;
  readonly leaf: Hex;
  /** The root the Merkle proof leads to. */
  readonly computedRoot: Hex;
  /** `computedRoot` equals the file's `proof.merkleRoot`. */
  readonly included: boolean;
};

type ProvenCredential = {
  readonly proof: { readonly salt: string; readonly leafIndex: number; readonly merkleRoot: string; readonly merkleProof: readonly string[] };
};

/**
 * Recomputes contentHash, credentialHash and leaf from a credential file and follows its Merkle proof: the off-chain
 * verification of inclusion (the on-chain twin is the registry's `credentialStatus`). Expects a file that passed
 * validateCredential; throws only on malformed hex or non-canonicalizable content.
 */
export function checkInclusion(credential: ProvenCredential): InclusionCheck {
  const { proof } = credential;
  const contentHash = contentHashOf(credential);
  const credentialHash = credentialHashOf(proof.salt, contentHash);
  const leaf = credentialLeaf(proof.leafIndex, credentialHash);
  const computedRoot = processProof(leaf, proof.merkleProof);
  return { contentHash, credentialHash, leaf, computedRoot, included: computedRoot === proof.merkleRoot.toLowerCase() };
}
