import { hashEmailIdentity } from "../../credential/hashEmailIdentity.ts";
import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { failed, passed, skipped } from "./stepHelpers.ts";

/** 9. With an e-mail to check: the credential's hashed identity (Open Badges 3.0) is that address's. */
export function recipientStep(facts: CredentialFacts): VerificationStep {
  const email = facts.options.recipient;
  if (email === undefined) return skipped("recipient", "Not requested (give an e-mail address to confirm the holder).");
  const identity = facts.credential!.credentialSubject.identifier.find((entry) => entry.identityType === "emailAddress");
  if (identity === undefined || identity.identityType !== "emailAddress") return failed("recipient", "The credential holds no hashed e-mail address to compare with.");
  if (hashEmailIdentity(email, identity.salt) !== identity.identityHash) return failed("recipient", `The credential was not issued to ${email}.`);
  return passed("recipient", `Issued to ${email}.`);
}
