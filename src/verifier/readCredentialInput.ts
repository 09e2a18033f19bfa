import { type CredentialInput, FormatV2Input, type ReadCredential, readCredentialCore } from "./readCredentialCore.ts";
import { readFormatV2 } from "./readFormatV2.ts";

export { chainQueriesOf, type CredentialInput, type ReadCredential } from "./readCredentialCore.ts";

/**
 * Parses (strictly), validates and hashes one input of either format; never throws: every failure is a format
 * problem or a hash error. (A bulk verification reads v1 with readCredentialCore and loads readFormatV2 only when it
 * meets a v2 file.)
 */
export function readCredentialInput(input: CredentialInput): ReadCredential {
  const read = readCredentialCore(input);
  return read instanceof FormatV2Input ? readFormatV2(read) : read;
}
