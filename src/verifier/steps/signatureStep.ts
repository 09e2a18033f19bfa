import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { couldNotVerify, failed, isoTime, passed, skipped } from "./stepHelpers.ts";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * 6. Format v2: the issuer's Data Integrity signature verifies (published libraries, packaged contexts), and its key
 * was bound on chain to the anchoring issuer when the batch was anchored: added at or before the anchor, not retired
 * before it, and not compromised at or before it. A revocation counts from the moment it was made when a moment is
 * named (`at`); otherwise as soon as the chain records it (the record is read at the latest block, and the verifier's
 * clock may be behind the chain's). Format v1 carries no signature (its content is anchored): skipped, and not required.
 */
export function signatureStep(facts: CredentialFacts): VerificationStep {
  if (facts.signed === undefined) return skipped("signature", "Format v1 carries no signature: its content is anchored on chain.", { formatVersion: 1 });
  const signature = facts.signature;
  if (signature === undefined) return couldNotVerify("signature", "the signature was not checked.");
  const credential = facts.credential!;
  const keyDetails = { key: facts.signed.keyId, issuer: credential.proof.anchor.issuer };
  if (!signature.verified) return failed("signature", `The issuer's signature does not verify: ${signature.message}.`, keyDetails);
  const record = facts.signingKey;
  if (record === undefined) return couldNotVerify("signature", "the key registry could not be read.");
  if (record === null) return failed("signature", "The registry has no signing-key registry, so no key is bound to its issuers (it predates format v2).", keyDetails);
  const anchoredAt = facts.onChain?.anchoredAt;
  if (anchoredAt === undefined || anchoredAt === 0) return couldNotVerify("signature", "the anchor time is unknown.");
  const details = { ...keyDetails, boundTo: record.issuer, addedAt: record.addedAt, retiredAt: record.retiredAt, compromisedAt: record.compromisedAt, revokedAt: record.revokedAt, anchoredAt };
  if (record.issuer === ZERO_ADDRESS) return failed("signature", "The signing key was never bound to an issuer in the registry.", details);
  if (record.issuer.toLowerCase() !== credential.proof.anchor.issuer.toLowerCase()) {
    return failed("signature", `The signing key is bound to ${record.issuer}, not to the anchoring issuer ${credential.proof.anchor.issuer}.`, details);
  }
  if (record.addedAt > anchoredAt) return failed("signature", `The signing key was bound at ${isoTime(record.addedAt)}, after the batch was anchored (${isoTime(anchoredAt)}).`, details);
  if (record.retiredAt !== 0 && record.retiredAt < anchoredAt) {
    return failed("signature", `The batch was anchored at ${isoTime(anchoredAt)}, after its signing key was retired (${isoTime(record.retiredAt)}).`, details);
  }
  const revoked = record.revokedAt !== 0 && (!facts.at.explicit || record.revokedAt <= facts.at.time);
  if (revoked && anchoredAt >= record.compromisedAt) {
    return failed("signature", `The signing key was revoked as compromised since ${isoTime(record.compromisedAt)}; this batch was anchored after that (${isoTime(anchoredAt)}).`, details);
  }
  return passed("signature", `Signed by the issuer's key ${facts.signed.keyId.slice(0, 10)}…, bound to ${record.issuer} since ${isoTime(record.addedAt)} (before the anchor).`, details);
}
