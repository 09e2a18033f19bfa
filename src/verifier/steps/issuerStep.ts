import { describeReason } from "../../chain/reasonCodes.ts";
import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { couldNotVerify, failed, isoTime, passed } from "./stepHelpers.ts";

/** 5. The anchoring address is an accredited (and trusted) issuer bound to the credential's issuer.id, and was not deactivated before the anchor. */
export function issuerStep(facts: CredentialFacts): VerificationStep {
  const credential = facts.credential!;
  const address = credential.proof.anchor.issuer;
  const issuer = facts.issuer;
  if (issuer === undefined) return couldNotVerify("issuer", "the registry's issuer record could not be read.");
  if (issuer.accreditedAt === 0) return failed("issuer", `${address} is not an accredited issuer of this registry.`, { issuer: address });
  const trusted = facts.options.trustedIssuers;
  if (trusted !== undefined && !trusted.some((entry) => entry.toLowerCase() === address.toLowerCase())) {
    return failed("issuer", `${issuer.name} (${address}) is accredited, but not one of the issuers you trust.`, { issuer: address, name: issuer.name });
  }
  const details = { issuer: address, name: issuer.name, profileId: issuer.profileId, accreditedAt: isoTime(issuer.accreditedAt), deactivatedAt: issuer.deactivatedAt ? isoTime(issuer.deactivatedAt) : null };
  if (issuer.profileId !== credential.issuer.id) {
    return failed("issuer", `The credential names issuer ${credential.issuer.id}, but the registry binds ${address} to ${issuer.profileId}.`, details);
  }
  if (facts.at.explicit && issuer.accreditedAt > facts.at.time) {
    return failed("issuer", `${issuer.name} was accredited at ${isoTime(issuer.accreditedAt)}, after the moment checked.`, details);
  }
  const anchoredAt = facts.onChain?.anchoredAt ?? 0;
  if (issuer.deactivatedAt !== 0) {
    const reason = describeReason(issuer.deactivationReason);
    if (anchoredAt > 0 && issuer.deactivatedAt < anchoredAt) {
      return failed("issuer", `${issuer.name} was deactivated at ${isoTime(issuer.deactivatedAt)} (${reason.name}), before this credential was anchored.`, details);
    }
    return passed("issuer", `${issuer.name} (${issuer.profileId}), accredited; deactivated at ${isoTime(issuer.deactivatedAt)} (${reason.name}), after this credential was anchored, which stays valid.`, details);
  }
  return passed("issuer", `${issuer.name} (${issuer.profileId}), accredited ${isoTime(issuer.accreditedAt)}, active.`, details);
}
