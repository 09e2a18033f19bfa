import { sniffBadgeImage } from "../credential/v2/badge/sniffBadgeImage.ts";
import { unbakeBadge } from "../credential/v2/badge/unbakeBadge.ts";
import { BaseError } from "../errors/BaseError.ts";
import { PortfolioInvariantError } from "../errors/portfolioErrors.ts";
import { type CredentialInput, type ReadCredential, readCredentialInput } from "../verifier/readCredentialInput.ts";
import type { VerificationResult, VerifyOptions } from "../verifier/verificationTypes.ts";
import { verifyReadCredentials } from "../verifier/verifyCredentials.ts";
import { type Portfolio, type PortfolioEntry, type PortfolioOptions, summarisePortfolio } from "./summarisePortfolio.ts";

/** One credential as verified: where it came from, what was verified (its bytes, text or parsed JSON), and the result. */
export type VerifiedInput = { readonly source: string; readonly input: CredentialInput | undefined; readonly result: VerificationResult };

/**
 * Reads one credential as the bulk verifier does (`VerificationShard`): a baked badge (a PNG, or an SVG: told by the
 * bytes, not the name) gives the credential baked into it; anything else is the credential's JSON (bytes, text or a
 * `ParsedJson`), read strictly. Never throws: a badge without a credential is a format problem.
 */
export function readPortfolioCredential(input: CredentialInput): ReadCredential {
  const kind = input instanceof Uint8Array ? sniffBadgeImage(input).kind : typeof input === "string" && input.trimStart().startsWith("<") ? "svg" : "other";
  if (kind === "other") return readCredentialInput(input);
  try {
    return readCredentialInput(unbakeBadge(input as Uint8Array | string));
  } catch (error) {
    const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
    return { credential: undefined, formatProblems: [{ path: "$", message: `a baked badge (${kind.toUpperCase()}) from which no credential could be taken: ${message}` }], hashes: undefined, hashError: undefined };
  }
}

/**
 * The portfolio of what was verified: each valid credential read again from the very input that was verified (its
 * bytes are held: a file changed since cannot slip in), then {@link summarisePortfolio}. Valid credentials must read
 * back as the verifier read them (same id); anything else is a {@link PortfolioInvariantError}, never a summary.
 */
export function portfolioOf(verified: readonly VerifiedInput[], options: PortfolioOptions = {}): Portfolio {
  const entries = verified.map(({ source, input, result }): PortfolioEntry => {
    if (result.status !== "valid") return { source, result, read: undefined };
    const read = input === undefined ? undefined : readPortfolioCredential(input);
    if (read?.credential === undefined || read.credential.id !== result.summary.credentialId) {
      throw new PortfolioInvariantError(`The valid credential ${source} did not read back as it was verified; no portfolio was made.`, read?.formatProblems.map((problem) => `${problem.path}: ${problem.message}`).join("; "));
    }
    return { source, result, read };
  });
  return summarisePortfolio(entries, options);
}

/**
 * Verifies a candidate's credentials given as values with no file system (an API request, whose credentials are
 * `ParsedJson`s so that their I-JSON problems fail their format step; baked badges too, given as bytes) and
 * summarises them ({@link portfolioOf}). The portfolio page does the same on workers (src/web/verifyInWorkers.ts).
 */
export async function verifyPortfolioCredentials(inputs: readonly { readonly source: string; readonly input: CredentialInput }[], verifyOptions: VerifyOptions, options: PortfolioOptions = {}): Promise<Portfolio> {
  const results = await verifyReadCredentials(
    inputs.map((entry) => readPortfolioCredential(entry.input)),
    verifyOptions,
  );
  return portfolioOf(
    inputs.map((entry, index) => ({ ...entry, result: results[index]! })),
    options,
  );
}
