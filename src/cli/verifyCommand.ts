import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { getAddress, isAddress } from "ethers";
import { connectRpc, type RpcStats } from "../chain/connectRpc.ts";
import { readDeployment } from "../chain/deployments.ts";
import type { CredregConfig } from "../config/resolveConfig.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import type { VerificationResult, VerifyAt } from "../verifier/verificationTypes.ts";
import { unreadableCredential, verifyCredentials } from "../verifier/verifyCredentials.ts";

/** One thing to verify: where it came from, and the parsed JSON (or why it could not be parsed). */
type Source = { readonly source: string; readonly value: unknown };

/** Reads files, directories (every .json and .ndjson below) and `-` (standard input: JSON or NDJSON). */
export async function readSources(paths: readonly string[], stdin: () => Promise<string>): Promise<Source[]> {
  const sources: Source[] = [];
  const parseText = (source: string, text: string, ndjson: boolean) => {
    if (ndjson) {
      text.split("\n").forEach((line, index) => {
        if (line.trim() !== "") sources.push({ source: `${source}:${index + 1}`, value: parseJson(line) });
      });
    } else sources.push({ source, value: parseJson(text) });
  };
  const visit = async (target: string): Promise<void> => {
    let info;
    try {
      info = await stat(target);
    } catch {
      throw new InvalidInputError(`${target} does not exist.`, ["Give credential files, directories of them, or - for standard input."]);
    }
    if (info.isDirectory()) {
      for (const name of (await readdir(target)).sort()) {
        const child = path.join(target, name);
        if ((await stat(child)).isDirectory()) await visit(child);
        else if (name.endsWith(".json") || name.endsWith(".ndjson")) await visit(child);
      }
      return;
    }
    parseText(target, await readFile(target, "utf8"), target.endsWith(".ndjson") || target.endsWith(".jsonl"));
  };
  for (const target of paths) {
    if (target === "-") {
      const text = await stdin();
      const trimmed = text.trim();
      parseText("(stdin)", text, !trimmed.startsWith("[") && trimmed.includes("\n{"));
    } else await visit(target);
  }
  return sources;
}

/** A value standing for text that is not JSON: it fails the format step with a clear problem. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return { __malformedJson: (error as Error).message };
  }
}

export type VerifyCommandOptions = {
  readonly paths: readonly string[];
  readonly at?: string | undefined;
  readonly recipient?: string | undefined;
  readonly trustedIssuers?: string | undefined;
  readonly config: CredregConfig;
  readonly progress?: ((done: number, total: number) => void) | undefined;
  readonly stdin: () => Promise<string>;
};

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

/** `credreg verify`: reads every credential, verifies them in bulk against the configured chain and registry. */
export async function runVerify(options: VerifyCommandOptions): Promise<{ results: VerifiedSource[]; summary: VerifySummary }> {
  if (options.paths.length === 0) throw new InvalidInputError("verify needs credential files, directories, or - for standard input.");
  let at: VerifyAt | undefined;
  if (options.at !== undefined) {
    if (/^\d+$/.test(options.at)) at = { block: Number(options.at) };
    else if (!Number.isNaN(Date.parse(options.at))) at = { date: new Date(options.at) };
    else throw new InvalidInputError(`--at ${options.at} is neither a date nor a block number.`, ["Give e.g. --at 2027-01-31T00:00:00Z or --at 123456."]);
  }
  const trustedIssuers = options.trustedIssuers?.split(",").map((entry) => {
    if (!isAddress(entry.trim())) throw new InvalidInputError(`--trusted-issuers: ${entry} is not an address.`);
    return getAddress(entry.trim());
  });
  const sources = await readSources(options.paths, options.stdin);
  const malformed = (value: unknown): string | undefined =>
    value !== null && typeof value === "object" && "__malformedJson" in value ? String((value as { __malformedJson: unknown }).__malformedJson) : undefined;
  const readable = sources.filter((source) => malformed(source.value) === undefined);

  // The registry to trust: the configured one, else the deployments file of the RPC's chain.
  let provider;
  let stats: RpcStats | undefined;
  let trustedRegistries: string[] = [];
  try {
    const connected = await connectRpc(options.config.rpcUrl, { timeoutMs: 10_000, requestTimeoutMs: 15_000 });
    provider = connected.provider;
    stats = connected.stats;
    trustedRegistries = options.config.registry !== undefined ? [options.config.registry] : [(await readDeployment(connected.chainId, options.config.deploymentsDir)).address];
  } catch {
    // No chain, or no registry to trust: every chain step reports "could not verify" with the reason below.
  }
  const verifyOptions = {
    provider,
    rpcUrl: provider === undefined ? options.config.rpcUrl : undefined,
    trustedRegistries,
    trustedIssuers,
    confirmations: options.config.confirmations,
    at,
    recipient: options.recipient,
  };
  const bySource = new Map<Source, VerificationResult>();
  for (const source of sources) {
    const reason = malformed(source.value);
    if (reason !== undefined) bySource.set(source, unreadableCredential(`not JSON (${reason})`, verifyOptions));
  }
  const chunk = 2000;
  for (let start = 0; start < readable.length; start += chunk) {
    const slice = readable.slice(start, start + chunk);
    const verified = await verifyCredentials(slice.map((source) => source.value), verifyOptions);
    verified.forEach((result, offset) => bySource.set(slice[offset]!, withTrustHint(result, trustedRegistries)));
    options.progress?.(Math.min(start + chunk, readable.length), readable.length);
  }
  provider?.destroy();
  const results: VerifiedSource[] = sources.map((source) => ({ source: source.source, ...bySource.get(source)! }));
  const summary: VerifySummary = { total: results.length, valid: 0, invalid: 0, error: 0, invalidByStep: {}, rpc: stats ?? null };
  for (const result of results) {
    summary[result.status] += 1;
    if (result.status === "invalid") {
      const step = result.steps.find((entry) => entry.status === "failed")!.name;
      summary.invalidByStep[step] = (summary.invalidByStep[step] ?? 0) + 1;
    }
  }
  return { results, summary };
}

/** When no registry could be trusted, say how to configure one instead of "not one you trust (none configured)". */
function withTrustHint(result: VerificationResult, trusted: readonly string[]): VerificationResult {
  if (trusted.length > 0) return result;
  return {
    ...result,
    status: result.status === "invalid" && result.steps.every((step) => step.status !== "failed" || step.name === "chain") ? "error" : result.status,
    steps: result.steps.map((step) =>
      step.name === "chain" && step.status === "failed"
        ? { ...step, status: "skipped", message: "Could not verify: no registry to trust; set CREDREG_REGISTRY (or --registry), or deployments/<chainId>.json.", details: { couldNotVerify: true } }
        : step,
    ),
  };
}
