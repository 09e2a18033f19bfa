import type { DisplayFacts } from "./displayFactsOf.ts";

const LINKEDIN_ADD_TO_PROFILE = "https://www.linkedin.com/profile/add";

/** Year and month (1–12) of an XML Schema date-time, or undefined. */
function yearMonth(dateTime: string | undefined): { year: string; month: string } | undefined {
  const match = /^(\d{4})-(\d{2})-\d{2}T/.exec(dateTime ?? "");
  return match === null ? undefined : { year: match[1]!, month: String(Number(match[2])) };
}

/**
 * LinkedIn's "Add to profile" link for a licence or certification (startTask=CERTIFICATION_NAME), pre-filled with
 * the achievement's name, the issuer's name as the registry records it, the issue (and expiry) month, the credential
 * id and the public share link. `undefined` when the credential lacks a name, a confirmed issuer or an issue date:
 * a half-filled profile entry is worse than none.
 */
export function linkedInAddToProfileUrl(facts: DisplayFacts, shareUrl: string): string | undefined {
  const issued = yearMonth(facts.validFrom);
  if (facts.achievement === undefined || !facts.issuerConfirmed || issued === undefined) return undefined;
  const url = new URL(LINKEDIN_ADD_TO_PROFILE);
  url.searchParams.set("startTask", "CERTIFICATION_NAME");
  url.searchParams.set("name", facts.achievement);
  url.searchParams.set("organizationName", facts.issuer);
  url.searchParams.set("issueYear", issued.year);
  url.searchParams.set("issueMonth", issued.month);
  const expires = yearMonth(facts.validUntil);
  if (expires !== undefined) {
    url.searchParams.set("expirationYear", expires.year);
    url.searchParams.set("expirationMonth", expires.month);
  }
  if (facts.credentialId !== undefined) url.searchParams.set("certId", facts.credentialId);
  url.searchParams.set("certUrl", shareUrl);
  return url.toString();
}
