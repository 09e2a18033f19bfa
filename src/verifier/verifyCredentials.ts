import { batchKeyOf, type ChainQuery, gatherChainFacts, issuerKeyOf } from "./gatherChainFacts.ts";
import { type CredentialInput, readCredentialInput } from "./readCredentialInput.ts";
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
  const trusted = new Set(options.trustedRegistries.map((address) => address.toLowerCase()));
  const read = inputs.map((input) => readCredentialInput(input));
  const queries: ChainQuery[] = [];
  read.forEach((entry, position) => {
    if (entry.credential !== undefined) queries.push({ position, credential: entry.credential, hashes: entry.hashes });
  });
  const chain = await gatherChainFacts(queries, options);
  return read.map((entry, position) => {
    const credential = entry.credential;
    const registryKey = credential?.proof.anchor.registry.toLowerCase();
    return runSteps({
      input: inputs[position],
      ...entry,
      at: chain.at,
      rpc: chain.rpc,
      registry: registryKey === undefined ? undefined : { trusted: trusted.has(registryKey), hasCode: chain.codeAt.get(registryKey) },
      onChain: chain.onChain.get(position),
      issuer: credential === undefined ? undefined : chain.issuers.get(issuerKeyOf(credential)),
      history: chain.histories.get(position),
      anchorTransaction: credential === undefined ? undefined : chain.anchorTransactions.get(batchKeyOf(credential)),
      options,
    });
  });
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
