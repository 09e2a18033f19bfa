import { contentHashBuffer, credentialHashBuffer } from "../credential/hashCredential.ts";
import { credentialLeafBuffer } from "../merkle/credentialLeaf.ts";
import { type Hex, toBytes32, toLeafIndex } from "../merkle/hex.ts";
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
  return checkInclusionOf(contentHashBuffer(credential), credential.proof);
}

/**
 * {@link checkInclusion} from a content hash already computed (each format defines what its content hash covers):
 * the salt, the index-bound leaf and the Merkle proof of `proof` lead to `computedRoot`.
 */
export function checkInclusionOf(content: Buffer, proof: ProvenCredential["proof"]): InclusionCheck {
  // On bytes from end to end (the same functions as contentHashOf, credentialHashOf and credentialLeaf), hex once.
  const salted = credentialHashBuffer(Buffer.from(toBytes32(proof.salt, "salt").slice(2), "hex"), content);
  const leaf: Hex = `0x${credentialLeafBuffer(toLeafIndex(proof.leafIndex), salted).toString("hex")}`;
  const computedRoot = processProof(leaf, proof.merkleProof);
  return { contentHash: `0x${content.toString("hex")}`, credentialHash: `0x${salted.toString("hex")}`, leaf, computedRoot, included: computedRoot === proof.merkleRoot.toLowerCase() };
}
