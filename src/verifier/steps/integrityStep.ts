import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { failed, notChecked, passed } from "./stepHelpers.ts";

/** 2. contentHash, credentialHash and leaf recomputed from the file; its own Merkle proof must lead to its root. */
export function integrityStep(facts: CredentialFacts, formatPassed: boolean): VerificationStep {
  if (!formatPassed || facts.hashes === undefined || facts.credential === undefined) return notChecked("integrity", "format");
  const { contentHash, credentialHash, leaf, computedRoot, included } = facts.hashes;
  const details = { contentHash, credentialHash, leaf, computedRoot, merkleRoot: facts.credential.proof.merkleRoot };
  if (!included) {
    return failed(
      "integrity",
      `The file was altered after issuance: its content, salt and index hash to a leaf whose proof leads to ${computedRoot}, not to its merkleRoot ${facts.credential.proof.merkleRoot}.`,
      details,
    );
  }
  return passed("integrity", `Content, salt and index hash to leaf ${leaf}, and the file's proof leads to its root.`, details);
}
