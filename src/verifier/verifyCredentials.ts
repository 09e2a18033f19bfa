import { assembleFacts } from "./assembleFacts.ts";
import { checkSignatureV2 } from "./checkSignatureV2.ts";
import { gatherChainFacts } from "./gatherChainFacts.ts";
import { chainQueriesOf, type CredentialInput, type ReadCredential, readCredentialInput } from "./readCredentialInput.ts";
import { runSteps } from "./runSteps.ts";
import type { VerificationResult, VerifyOptions } from "./verificationTypes.ts";

/**
 * Verifies many credentials against the chain alone: every step of {@link verifyCredential} for each, with the
 * chain asked in bulk. Each input is JSON text (string or UTF-8 bytes, read strictly: duplicate member names and
 * lone surrogates fail the format step), a `ParsedJson`, or an already parsed value. Never throws for an invalid
 * credential or an unreachable RPC: each result says `valid` (every required step passed), `invalid` or `error`,
 * and why, step by step.
 */
export async function verifyCredentials(inputs: readonly CredentialInput[], options: VerifyOptions): Promise<VerificationResult[]> {
  return verifyReadCredentials(
    inputs.map((input) => readCredentialInput(input)),
    options,
  );
}

/**
 * {@link verifyCredentials} of credentials the caller has read (with `readCredentialInput`, or a reader that also
 * takes them out of baked badges): one result per entry, in order.
 */
export async function verifyReadCredentials(read: readonly ReadCredential[], options: VerifyOptions): Promise<VerificationResult[]> {
  // Signatures (format v2) are checked while the chain is asked.
  const [chain, signatures] = await Promise.all([gatherChainFacts(chainQueriesOf(read), options), Promise.all(read.map(checkSignatureV2))]);
  return read.map((entry, position) => runSteps(assembleFacts(entry, position, chain, options, signatures[position])));
}

/**
 * Verifies one credential with nothing but a JSON-RPC endpoint: format, integrity, inclusion, anchor, issuer,
 * status, validity, chain (and the recipient, when asked). Returns a result value; never throws for an invalid
 * credential, and an RPC failure or unknown contract is `error` ("could not verify"), never `invalid`.
 */
export async function verifyCredential(credential: CredentialInput, options: VerifyOptions): Promise<VerificationResult> {
  const [result] = await verifyCredentials([credential], options);
  return result!;
}
