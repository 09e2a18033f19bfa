import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { sniffBadgeImage } from "../credential/v2/badge/sniffBadgeImage.ts";
import { unbakeBadge } from "../credential/v2/badge/unbakeBadge.ts";
import { BaseError } from "../errors/BaseError.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { PortfolioInvariantError } from "../errors/portfolioErrors.ts";
import { type Pathway, readPathway } from "../stacking/readPathway.ts";
import { type CredentialInput, type ReadCredential, readCredentialInput } from "../verifier/readCredentialInput.ts";
import type { VerificationResult, VerifyOptions } from "../verifier/verificationTypes.ts";
import { verifyCredentials } from "../verifier/verifyCredentials.ts";
import type { ShardItem } from "../verifier/VerificationShard.ts";
import { type Portfolio, type PortfolioEntry, type PortfolioOptions, summarisePortfolio } from "./summarisePortfolio.ts";

/** The most files one `credreg verify --portfolio` takes: every file's bytes are held until the summary is made. */
export const MAX_PORTFOLIO_FILES = 20_000;
/** The most credentials one `POST /v1/portfolios` may carry, and the most pathways. */
export const MAX_PORTFOLIO_CREDENTIALS = 1_000;
export const MAX_PORTFOLIO_PATHWAYS = 50;

const READ_AT_ONCE = 64;

/** An e-mail address as far as comparing it with a hashed identity needs: something@something, no spaces. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+$/;

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
 * The items of a portfolio with each file's bytes read (by this thread, once): the bulk verifier then checks exactly
 * the bytes the summary reads back. A file that cannot be read stays a path (the verifier fails its format step,
 * "the file could not be read"). More than {@link MAX_PORTFOLIO_FILES} is the caller's mistake.
 */
export async function loadPortfolioItems(items: readonly ShardItem[]): Promise<ShardItem[]> {
  if (items.length === 0) throw new InvalidInputError("The portfolio holds no credential files.", ["Give credential files (.json, or baked .png/.svg badges), or directories of them."]);
  if (items.length > MAX_PORTFOLIO_FILES) {
    throw new InvalidInputError(`A portfolio holds at most ${MAX_PORTFOLIO_FILES.toLocaleString("en-US")} credentials; ${items.length.toLocaleString("en-US")} were given.`, ["Verify them in bulk with credreg verify (no --portfolio), or split the portfolio."]);
  }
  const loaded: ShardItem[] = [];
  // A few files at a time: a folder of thousands never opens them all at once.
  for (let start = 0; start < items.length; start += READ_AT_ONCE) {
    loaded.push(
      ...(await Promise.all(
        items.slice(start, start + READ_AT_ONCE).map(async (item): Promise<ShardItem> => {
          if (!("path" in item)) return item;
          try {
            return { position: item.position, source: item.source, content: await readFile(item.path) };
          } catch {
            return item;
          }
        }),
      )),
    );
  }
  return loaded;
}

/**
 * Verifies a portfolio's items with `verify` (the bulk path `credreg verify` uses: it gets the items with their
 * bytes, and returns one result per item in input order) and summarises the candidate's credentials.
 */
export async function verifyPortfolio(items: readonly ShardItem[], verify: (loaded: readonly ShardItem[]) => Promise<readonly VerificationResult[]>, options: PortfolioOptions = {}): Promise<Portfolio> {
  const loaded = await loadPortfolioItems(items);
  const results = await verify(loaded);
  if (results.length !== loaded.length) throw new PortfolioInvariantError(`The verification gave ${results.length} results for ${loaded.length} credentials; no portfolio was made.`);
  return portfolioOf(
    loaded.map((item, index) => ({ source: item.source, input: "content" in item ? item.content : undefined, result: results[index]! })),
    options,
  );
}

/**
 * Verifies credentials given as values (an API request: each a `ParsedJson`, so that its I-JSON problems fail its
 * format step) with {@link verifyCredentials}, and summarises them.
 */
export async function verifyPortfolioCredentials(inputs: readonly { readonly source: string; readonly input: CredentialInput }[], verifyOptions: VerifyOptions, options: PortfolioOptions = {}): Promise<Portfolio> {
  const results = await verifyCredentials(
    inputs.map((entry) => entry.input),
    verifyOptions,
  );
  return portfolioOf(
    inputs.map((entry, index) => ({ ...entry, result: results[index]! })),
    options,
  );
}

/**
 * The pathways of `--pathways`: a pathway file, or every `.json` file of a directory (in name order), each read and
 * validated with {@link readPathway}. No pathway file, or two naming the same pathway id, is the caller's mistake.
 */
export async function readPathwayFiles(target: string): Promise<Pathway[]> {
  const FIX = "Give --pathways a pathway file or a directory of them (like examples/pathway.json; docs/stacking.md).";
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    throw new InvalidInputError(`Cannot read the pathways ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, [FIX]);
  }
  const files = info.isDirectory()
    ? (await readdir(target))
        .filter((name) => name.endsWith(".json"))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((name) => path.join(target, name))
    : [target];
  if (files.length === 0) throw new InvalidInputError(`${target} holds no pathway file (.json).`, [FIX]);
  const pathways: Pathway[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const pathway = await readPathway(file);
    const earlier = seen.get(pathway.rule.id);
    if (earlier !== undefined) throw new InvalidInputError(`The pathway files ${earlier} and ${file} both describe ${pathway.rule.id}.`, ["Keep one file per pathway."]);
    seen.set(pathway.rule.id, file);
    pathways.push(pathway);
  }
  return pathways;
}
