import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { connectRpc, type RpcStats } from "../chain/connectRpc.ts";
import { type TrustedEntry, trustedOn, type VerifierTrust } from "../config/resolveVerifierTrust.ts";
import { NoTrustedRegistryError } from "../errors/configErrors.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import type { VerificationResult, VerifyAt } from "../verifier/verificationTypes.ts";
import { verifyCredentials } from "../verifier/verifyCredentials.ts";

/** One thing to verify: where it came from, and its bytes (one file) or text (one NDJSON line). */
type Source = { readonly source: string; readonly content: Uint8Array | string };

/** Splits NDJSON bytes into lines; bytes that are not UTF-8 make one unreadable source (the whole file). */
function ndjsonSources(source: string, bytes: Uint8Array): Source[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return [{ source, content: bytes }];
  }
  return text.split("\n").flatMap((line, index) => (line.trim() === "" ? [] : [{ source: `${source}:${index + 1}`, content: line }]));
}

/** Reads files, directories (every .json and .ndjson below) and `-` (standard input: JSON or NDJSON), as bytes. */
export async function readSources(paths: readonly string[], stdin: () => Promise<Uint8Array>): Promise<Source[]> {
  // First every file's path, in order (directories walked in name order), then the files read 64 at a time.
  const files: string[] = [];
  const collect = async (target: string, named: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(target);
    } catch {
      if (named) throw new InvalidInputError(`${target} does not exist.`, ["Give credential files, directories of them, or - for standard input."]);
      return;
    }
    if (!info.isDirectory()) {
      files.push(target);
      return;
    }
    for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = path.join(target, entry.name);
      const credentialFile = entry.name.endsWith(".json") || entry.name.endsWith(".ndjson");
      // A symbolic link is followed (to a folder, or to a credential file), as a path given directly would be.
      const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(child).catch(() => undefined))?.isDirectory() === true);
      if (isDirectory) await collect(child, false);
      else if (credentialFile) files.push(child);
    }
  };
  const sourcesOf = async (file: string): Promise<Source[]> => {
    const bytes = await readFile(file);
    return file.endsWith(".ndjson") || file.endsWith(".jsonl") ? ndjsonSources(file, bytes) : [{ source: file, content: bytes }];
  };
  const sources: Source[] = [];
  for (const target of paths) {
    if (target === "-") {
      const bytes = await stdin();
      const trimmed = Buffer.from(bytes).toString("utf8").trim();
      if (!trimmed.startsWith("[") && trimmed.includes("\n{")) sources.push(...ndjsonSources("(stdin)", bytes));
      else sources.push({ source: "(stdin)", content: bytes });
      continue;
    }
    files.length = 0;
    await collect(target, true);
    for (let start = 0; start < files.length; start += 64) {
      for (const read of await Promise.all(files.slice(start, start + 64).map(sourcesOf))) sources.push(...read);
    }
  }
  return sources;
}

export type VerifyCommandOptions = {
  readonly paths: readonly string[];
  readonly at?: string | undefined;
  readonly recipient?: string | undefined;
  /** Where the RPC, the trusted registries and issuers come from (never the credential's folder). */
  readonly trust: VerifierTrust;
  readonly progress?: ((done: number, total: number) => void) | undefined;
  readonly stdin: () => Promise<Uint8Array>;
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

/** `credreg verify`: reads every credential, verifies them in bulk against the trusted registries of the RPC's chain. */
export async function runVerify(options: VerifyCommandOptions): Promise<{ results: VerifiedSource[]; summary: VerifySummary; trust: VerifyTrustReport }> {
  if (options.paths.length === 0) throw new InvalidInputError("verify needs credential files, directories, or - for standard input.");
  const at = parseAt(options.at);
  const sources = await readSources(options.paths, options.stdin);

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
  const results: VerifiedSource[] = [];
  const chunk = 2000;
  try {
    for (let start = 0; start < sources.length; start += chunk) {
      const slice = sources.slice(start, start + chunk);
      const verified = await verifyCredentials(slice.map((source) => source.content), verifyOptions);
      verified.forEach((result, offset) => results.push({ source: slice[offset]!.source, ...result }));
      options.progress?.(Math.min(start + chunk, sources.length), sources.length);
    }
  } finally {
    provider?.destroy();
  }
  const summary: VerifySummary = { total: results.length, valid: 0, invalid: 0, error: 0, invalidByStep: {}, rpc: stats ?? null };
  for (const result of results) {
    summary[result.status] += 1;
    if (result.status === "invalid") {
      const step = result.steps.find((entry) => entry.status === "failed")!.name;
      summary.invalidByStep[step] = (summary.invalidByStep[step] ?? 0) + 1;
    }
  }
  return { results, summary, trust: { rpcUrlSource: options.trust.sources.rpcUrl, registries, issuers: issuers ?? null } };
}
