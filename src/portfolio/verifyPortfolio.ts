import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { PortfolioInvariantError } from "../errors/portfolioErrors.ts";
import type { Pathway } from "../stacking/pathwayFromValue.ts";
import { distinctPathways } from "../stacking/distinctPathways.ts";
import { readPathway } from "../stacking/readPathway.ts";
import type { VerificationResult } from "../verifier/verificationTypes.ts";
import type { ShardItem } from "../verifier/VerificationShard.ts";
import { MAX_PORTFOLIO_FILES } from "./portfolioLimits.ts";
import type { Portfolio, PortfolioOptions } from "./summarisePortfolio.ts";
import { portfolioOf } from "./verifyPortfolioCredentials.ts";

const READ_AT_ONCE = 64;

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
  const read: { name: string; pathway: Pathway }[] = [];
  for (const file of files) read.push({ name: file, pathway: await readPathway(file) });
  return distinctPathways(read);
}
