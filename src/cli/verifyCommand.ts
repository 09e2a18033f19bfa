import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { connectRpc, type RpcStats } from "../chain/connectRpc.ts";
import { type TrustedEntry, trustedOn, type VerifierTrust } from "../config/resolveVerifierTrust.ts";
import { NoTrustedRegistryError } from "../errors/configErrors.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import type { VerificationResult, VerifyAt } from "../verifier/verificationTypes.ts";
import { verifyInParallel } from "../verifier/verifyInParallel.ts";
import type { ShardWorker } from "../verifier/ShardWorker.ts";
import type { ShardItem, ShardOutcome } from "../verifier/VerificationShard.ts";

/** Splits NDJSON bytes into one item per line; bytes that are not UTF-8 make one unreadable item (the whole file). */
function ndjsonItems(source: string, bytes: Uint8Array, firstPosition: number): ShardItem[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return [{ position: firstPosition, source, content: bytes }];
  }
  const items: ShardItem[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() !== "") items.push({ position: firstPosition + items.length, source: `${source}:${index + 1}`, content: line });
  });
  return items;
}

const isNdjson = (file: string) => file.endsWith(".ndjson") || file.endsWith(".jsonl");

/**
 * What to verify, in order: files (each read later, by the thread that checks it), every .json and .ndjson below a
 * directory (walked in name order), NDJSON files split into lines, and `-` (standard input: JSON or NDJSON).
 */
export async function collectItems(paths: readonly string[], stdin: () => Promise<Uint8Array>): Promise<ShardItem[]> {
  const items: ShardItem[] = [];
  const addFile = async (file: string) => {
    if (isNdjson(file)) items.push(...ndjsonItems(file, await readFile(file), items.length));
    else items.push({ position: items.length, source: file, path: file });
  };
  const collect = async (target: string, named: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(target);
    } catch {
      if (named) throw new InvalidInputError(`${target} does not exist.`, ["Give credential files, directories of them, or - for standard input."]);
      return;
    }
    if (!info.isDirectory()) {
      await addFile(target);
      return;
    }
    for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = path.join(target, entry.name);
      const credentialFile = entry.name.endsWith(".json") || entry.name.endsWith(".ndjson");
      // A symbolic link is followed (to a folder, or to a credential file), as a path given directly would be.
      const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(child).catch(() => undefined))?.isDirectory() === true);
      if (isDirectory) await collect(child, false);
      else if (credentialFile) await addFile(child);
    }
  };
  for (const target of paths) {
    if (target === "-") {
      const bytes = await stdin();
      const trimmed = Buffer.from(bytes).toString("utf8").trim();
      if (!trimmed.startsWith("[") && trimmed.includes("\n{")) items.push(...ndjsonItems("(stdin)", bytes, items.length));
      else items.push({ position: items.length, source: "(stdin)", content: bytes });
      continue;
    }
    await collect(target, true);
  }
  return items;
}

export type VerifyCommandOptions = {
  readonly paths: readonly string[];
  readonly at?: string | undefined;
  readonly recipient?: string | undefined;
  /** Where the RPC, the trusted registries and issuers come from (never the credential's folder). */
  readonly trust: VerifierTrust;
  readonly progress?: ((done: number, total: number) => void) | undefined;
  readonly stdin: () => Promise<Uint8Array>;
  /** Threads that check credentials (default: the machine's available parallelism). */
  readonly threads?: number | undefined;
  /** Worker threads started beforehand (the caller stops them). */
  readonly workers?: readonly ShardWorker[] | undefined;
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

function parseAt(text: string | undefined): VerifyAt | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return { block: Number(text) };
  if (!Number.isNaN(Date.parse(text))) return { date: new Date(text) };
  throw new InvalidInputError(`--at ${text} is neither a date nor a block number.`, ["Give e.g. --at 2027-01-31T00:00:00Z or --at 123456."]);
}

/**
 * `credreg verify`: reads every credential, verifies them in bulk against the trusted registries of the RPC's chain
 * (the per-credential work spread over threads), and gives each result, in input order, as the JSON text `--json`
 * prints ({@link VerifiedSource}).
 */
export async function runVerify(options: VerifyCommandOptions): Promise<{ results: ShardOutcome[]; summary: VerifySummary; trust: VerifyTrustReport }> {
  if (options.paths.length === 0) throw new InvalidInputError("verify needs credential files, directories, or - for standard input.");
  const at = parseAt(options.at);
  const items = await collectItems(options.paths, options.stdin);

  let provider;
  let stats: RpcStats | undefined;
  let registries = options.trust.registries;
  let issuers = options.trust.issuers;
  try {
    const connected = await connectRpc(options.trust.rpcUrl, { timeoutMs: 10_000, requestTimeoutMs: 15_000 });
    provider = connected.provider;
    stats = connected.stats;
    const chainId = `eip155:${connected.chainId}`;
    registries = trustedOn(registries, chainId);
    issuers = issuers === undefined ? undefined : trustedOn(issuers, chainId);
    if (registries.length === 0) {
      provider.destroy();
      throw new NoTrustedRegistryError(options.trust.trustFile ?? "(none)", chainId);
    }
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
    at,
    recipient: options.recipient,
  };
  // Files are read by the threads that check them; no more than this many credentials are held at once.
  const round = 20_000;
  const results: ShardOutcome[] = [];
  try {
    for (let start = 0; start < items.length; start += round) {
      const slice = items.slice(start, start + round);
      const progress = options.progress === undefined ? undefined : (done: number) => options.progress!(start + done, items.length);
      results.push(...(await verifyInParallel(slice, verifyOptions, { threads: options.threads, progress, workers: options.workers })));
    }
  } finally {
    provider?.destroy();
  }
  const summary: VerifySummary = { total: results.length, valid: 0, invalid: 0, error: 0, invalidByStep: {}, rpc: stats ?? null };
  for (const result of results) {
    summary[result.status] += 1;
    if (result.status === "invalid" && result.failedStep !== undefined) summary.invalidByStep[result.failedStep] = (summary.invalidByStep[result.failedStep] ?? 0) + 1;
  }
  return { results, summary, trust: { rpcUrlSource: options.trust.sources.rpcUrl, registries, issuers: issuers ?? null } };
}
