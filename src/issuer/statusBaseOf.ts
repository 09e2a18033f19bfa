import { InvalidInputError } from "../errors/issuerErrors.ts";

/** Where format 2 status lists are published: the configured https base, else under the issuer's https profile URL. */
export function statusBaseOf(configured: string | undefined, profileId: string): string {
  const base = configured ?? (/^https:\/\//.test(profileId) ? `${profileId.replace(/\/+$/, "")}/credreg/status` : undefined);
  if (base === undefined) {
    throw new InvalidInputError(`The issuer's profile id ${profileId} is not an https URL, so there is no default place to publish status lists.`, [
      "Set --status-base-url (or CREDREG_STATUS_BASE_URL) to the https URL where you will publish them, e.g. https://university.example/credreg/status.",
    ]);
  }
  if (!/^https:\/\/[^\s#?]+$/.test(base)) throw new InvalidInputError(`The status base URL ${base} is not an https URL without query or fragment.`, ["Give e.g. https://university.example/credreg/status."]);
  return base.replace(/\/+$/, "");
}
