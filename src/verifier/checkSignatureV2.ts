import { verifyCredentialSignatureV2 } from "../credential/v2/signCredentialV2.ts";
import type { ReadCredential } from "./readCredentialInput.ts";
import type { SignatureCheck } from "./verificationTypes.ts";

/** Why the library refused a signature, in one sentence (its errors nest; the first message says it). */
function reasonOf(error: unknown): string {
  const errors = (error as { errors?: unknown[] } | undefined)?.errors;
  const first = Array.isArray(errors) && errors.length > 0 ? errors[0] : error;
  return first instanceof Error ? first.message : typeof first === "string" ? first : "the proof does not verify";
}

/**
 * Checks a format v2 credential's Data Integrity signature with the published libraries (`@digitalbazaar/vc`,
 * `eddsa-rdfc-2022`), the packaged contexts only; undefined for v1. Never throws: an exception is a failed check.
 */
export async function checkSignatureV2(read: ReadCredential): Promise<SignatureCheck | undefined> {
  if (read.signed === undefined) return undefined;
  try {
    const result = await verifyCredentialSignatureV2(read.signed.document, { now: read.signed.document.validFrom });
    return result.verified ? { verified: true, message: "verified" } : { verified: false, message: reasonOf(result.error) };
  } catch (error) {
    return { verified: false, message: error instanceof Error ? error.message : String(error) };
  }
}
