import { connectRpc, type RpcStats } from "../chain/connectRpc.ts";
import { type TrustedEntry, trustedOn, type VerifierTrust } from "../config/resolveVerifierTrust.ts";
import { NoTrustedRegistryError } from "../errors/configErrors.ts";
import type { BulkVerification } from "../verifier/BulkVerification.ts";
import type { VerificationResult, VerifyAt } from "../verifier/verificationTypes.ts";
import type { ShardItem, ShardOutcome } from "../verifier/VerificationShard.ts";
import { type RoundOptions, startVerifyRound, VERIFY_ROUND } from "./startVerifyRound.ts";

export type VerifyCommandOptions = RoundOptions & {
  /** What to verify, in order (see collectVerifyItems). */
  readonly items: readonly ShardItem[];
  readonly at?: VerifyAt | undefined;
  readonly recipient?: string | undefined;
  /** Where the RPC, the trusted registries and issuers come from (never the credential's folder). */
  readonly trust: VerifierTrust;
  /**
   * The first round, already reading (`startVerifyRound(items, 0, ...)`), so that the files are read while the chain
   * is connected to; runVerify finishes it, or abandons it if it cannot verify.
   */
  readonly started?: BulkVerification | undefined;
};

/** One result as printed by `--json`. */
export type VerifiedSource = VerificationResult & { readonly source: string };

export type VerifySummary = {
  total: number;
  valid: number;
  invalid: number;
  error: number;
  invalidByStep: Record<string, number>;
  /** JSON-RPC calls made, and the HTTP requests that carried them. */
  rpc: RpcStats | null;
};

/** What the verification trusted, and why: printed with the results. */
export type VerifyTrustReport = {
  readonly rpcUrlSource: string;
  readonly registries: readonly TrustedEntry[];
  readonly issuers: readonly TrustedEntry[] | null;
};

/**
 * `credreg verify`: reads every credential, verifies them in bulk against the trusted registries of the RPC's chain
 * (the per-credential work spread over threads), and gives each result, in input order, as the JSON text `--json`
 * prints ({@link VerifiedSource}).
 */
export async function runVerify(options: VerifyCommandOptions): Promise<{ results: ShardOutcome[]; summary: VerifySummary; trust: VerifyTrustReport }> {
  const { items } = options;
  // The round being read that is not finished yet: abandoned (its reading stopped) if verification cannot go on.
  let reading = options.started;
  let provider;
  let stats: RpcStats | undefined;
  const results: ShardOutcome[] = [];
  let registries = options.trust.registries;
  let issuers = options.trust.issuers;
  try {
    try {
      const connected = await connectRpc(options.trust.rpcUrl, { timeoutMs: 10_000, requestTimeoutMs: 15_000 });
      provider = connected.provider;
      stats = connected.stats;
      const chainId = `eip155:${connected.chainId}`;
      registries = trustedOn(registries, chainId);
      issuers = issuers === undefined ? undefined : trustedOn(issuers, chainId);
      if (registries.length === 0) throw new NoTrustedRegistryError(options.trust.trustFile ?? "(none)", chainId);
    } catch (error) {
      if (error instanceof NoTrustedRegistryError) throw error;
      // No chain: every chain step reports "could not verify" with the reason.
    }
    const trustSources = Object.fromEntries([...registries, ...(issuers ?? [])].map((entry) => [entry.address.toLowerCase(), entry.source]));
    const verifyOptions = {
      provider,
      rpcUrl: provider === undefined ? options.trust.rpcUrl : undefined,
      trustedRegistries: registries.map((entry) => entry.address),
      trustedIssuers: issuers?.map((entry) => entry.address),
      trustSources,
      confirmations: options.trust.confirmations,
      at: options.at,
      recipient: options.recipient,
    };
    // Files are read by the threads that check them; no more than VERIFY_ROUND credentials are held at once.
    for (let start = 0; start < items.length; start += VERIFY_ROUND) {
      const round = start === 0 && reading !== undefined ? reading : startVerifyRound(items, start, options);
      reading = round;
      results.push(...(await round.finish(verifyOptions)));
      reading = undefined;
    }
  } finally {
    await reading?.abandon();
    provider?.destroy();
  }
  const summary: VerifySummary = { total: results.length, valid: 0, invalid: 0, error: 0, invalidByStep: {}, rpc: stats ?? null };
  for (const result of results) {
    summary[result.status] += 1;
    if (result.status === "invalid" && result.failedStep !== undefined) summary.invalidByStep[result.failedStep] = (summary.invalidByStep[result.failedStep] ?? 0) + 1;
  }
  return { results, summary, trust: { rpcUrlSource: options.trust.sources.rpcUrl, registries, issuers: issuers ?? null } };
}
