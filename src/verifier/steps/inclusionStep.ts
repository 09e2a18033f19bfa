import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { couldNotVerify, failed, passed } from "./stepHelpers.ts";

/**
 * 3. The Merkle proof leads from the leaf to the root, as the registry checks it (`credentialStatus`, or the same
 * sorted-pair rule off chain in bulk), and the index is inside the anchored batch.
 */
export function inclusionStep(facts: CredentialFacts): VerificationStep {
  const status = facts.onChain;
  const proof = facts.credential!.proof;
  if (status === undefined) return couldNotVerify("inclusion", "the registry's credentialStatus could not be read.");
  if (!status.proofValid) return failed("inclusion", `The registry rejects the Merkle proof of leaf ${proof.leafIndex} for root ${proof.merkleRoot}.`);
  if (status.anchoredAt > 0 && !status.indexInRange) {
    return failed("inclusion", `Leaf ${proof.leafIndex} is outside the batch, which holds ${status.leafCount} credentials.`, { leafCount: status.leafCount });
  }
  return passed("inclusion", `Leaf ${proof.leafIndex}${status.leafCount ? ` of ${status.leafCount}` : ""} of batch ${proof.merkleRoot}: its Merkle proof holds against the registry's record.`, { leafIndex: proof.leafIndex, leafCount: status.leafCount });
}
