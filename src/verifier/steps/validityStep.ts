import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { failed, isoTime, passed } from "./stepHelpers.ts";

/** 7. validFrom <= the moment checked (now, or --at) <= validUntil. */
export function validityStep(facts: CredentialFacts): VerificationStep {
  const { validFrom, validUntil } = facts.credential!;
  const moment = facts.at.time;
  const details = { validFrom, validUntil: validUntil ?? null, checkedAt: isoTime(moment) };
  if (Date.parse(validFrom) / 1000 > moment) return failed("validity", `Not valid yet: valid from ${validFrom} (checked at ${isoTime(moment)}).`, details);
  if (validUntil !== undefined && Date.parse(validUntil) / 1000 < moment) return failed("validity", `Expired: valid until ${validUntil} (checked at ${isoTime(moment)}).`, details);
  return passed("validity", `Valid from ${validFrom}${validUntil ? ` until ${validUntil}` : ", no end date"}.`, details);
}
