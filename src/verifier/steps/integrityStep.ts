import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { failed, passed } from "./stepHelpers.ts";

/** 2. contentHash, credentialHash and leaf recomputed from the file; its own Merkle proof must lead to its root. */
export function integrityStep(facts: CredentialFacts): VerificationStep {
  const credential = facts.credential!;
  if (facts.hashes === undefined) return failed("integrity", `The file's hashes cannot be recomputed: ${facts.hashError ?? "no reason given"}.`, { hashError: facts.hashError ?? null });
  const { contentHash, credentialHash, leaf, computedRoot, included } = facts.hashes;
  const details = { contentHash, credentialHash, leaf, computedRoot, merkleRoot: credential.proof.merkleRoot };
  if (!included) {
    return failed(
      "integrity",
      `The file was altered after issuance: its content, salt and index hash to a leaf whose proof leads to ${computedRoot}, not to its merkleRoot ${credential.proof.merkleRoot}.`,
      details,
    );
  }
  return passed("integrity", `Content, salt and index hash to leaf ${leaf}, and the file's proof leads to its root.`, details);
}
