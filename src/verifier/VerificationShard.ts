import { unbakeBadge } from "../credential/v2/badge/unbakeBadge.ts";
import { sniffBadgeImage } from "../credential/v2/badge/sniffBadgeImage.ts";
import { BaseError } from "../errors/BaseError.ts";
import { readFileShared } from "../fs/readFileShared.ts";
import { assembleFacts } from "./assembleFacts.ts";
import type { ChainFacts, ChainQuery } from "./gatherChainFacts.ts";
import { chainQueriesOf, FormatV2Input, type ReadCredential, readCredentialCore } from "./readCredentialCore.ts";
import { runSteps } from "./runSteps.ts";
import type { StepName, VerificationResult, VerifyOptions } from "./verificationTypes.ts";

/** One credential to verify: its place in the whole input, a name for it, and its file (read here) or its text. */
export type ShardItem = { readonly position: number; readonly source: string } & ({ readonly path: string } | { readonly content: string | Uint8Array });

/**
 * One credential's result as JSON text (`{"source": …, "status": …, "steps": […], …}`): what `--json` prints, and far
 * cheaper to hand from a worker thread to the main thread than a structured clone of the result.
 */
export type ShardOutcome = {
  readonly position: number;
  readonly status: VerificationResult["status"];
  /** The first step that failed (for `invalid`), for the summary by reason. */
  readonly failedStep: StepName | undefined;
  readonly json: string;
};

/**
 * A baked badge (a PNG, or an SVG: told by the bytes, not the name) gives the credential baked into it; any other
 * input is the credential's text. A badge without exactly one readable credential is a format failure.
 */
function readBytes(bytes: Uint8Array | string): ReadCredential | FormatV2Input {
  const kind = typeof bytes === "string" ? (bytes.trimStart().startsWith("<") ? "svg" : "other") : sniffBadgeImage(bytes).kind;
  if (kind === "other") return readCredentialCore(bytes);
  let text: string;
  try {
    text = unbakeBadge(bytes);
  } catch (error) {
    const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
    return { credential: undefined, formatProblems: [{ path: "$", message: `a baked badge (${kind.toUpperCase()}) from which no credential could be taken: ${message}` }], hashes: undefined, hashError: undefined };
  }
  return readCredentialCore(text);
}

/** A file that could not be read is a format failure of that file alone, never the end of the whole run. */
function readItem(item: ShardItem): ReadCredential | FormatV2Input {
  if ("content" in item) return readBytes(item.content);
  let bytes: Buffer;
  try {
    // A view of a reused buffer: decoded by readCredentialInput before the next file is read.
    bytes = readFileShared(item.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    return { credential: undefined, formatProblems: [{ path: "$", message: `the file could not be read (${code})` }], hashes: undefined, hashError: undefined };
  }
  return readBytes(bytes);
}

/** JSON text of a result; bigints (none today, but a step's details may carry one) as decimal strings. */
function resultJson(result: object): string {
  try {
    return JSON.stringify(result);
  } catch {
    return JSON.stringify(result, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  }
}

/** The format v2 code (its schema, JSON-LD and signature libraries): loaded once, when a shard first meets a v2 file. */
let formatV2: Promise<{ readFormatV2: typeof import("./readFormatV2.ts").readFormatV2; checkSignatureV2: typeof import("./checkSignatureV2.ts").checkSignatureV2 }> | undefined;
const loadFormatV2 = () =>
  (formatV2 ??= Promise.all([import("./readFormatV2.ts"), import("./checkSignatureV2.ts")]).then(([{ readFormatV2 }, { checkSignatureV2 }]) => ({ readFormatV2, checkSignatureV2 })));

/**
 * A share of a bulk verification, run in one thread (a worker, or the caller's own): it reads, parses, validates and
 * hashes its credentials and keeps them; the chain's questions go back to the caller, who asks the chain once for all
 * shares; with the chain's answers, the shard runs the steps and gives each result as JSON text.
 */
export class VerificationShard {
  readonly #held = new Map<number, { readonly source: string; readonly read: ReadCredential }>();

  /**
   * Reads `items` (strictly: see readCredentialCore) and returns the chain's questions about those whose format
   * passed. Format v1 is read at once; the format v2 code is loaded when the first v2 file is met.
   */
  async read(items: readonly ShardItem[]): Promise<ChainQuery[]> {
    const read: ReadCredential[] = [];
    for (const item of items) {
      const found = readItem(item);
      const entry = found instanceof FormatV2Input ? (await loadFormatV2()).readFormatV2(found) : found;
      this.#held.set(item.position, { source: item.source, read: entry });
      read.push(entry);
    }
    return chainQueriesOf(read, (offset) => items[offset]!.position);
  }

  /** Runs every step of every credential held, with what the chain said; the shard is empty afterwards. */
  async finish(chain: ChainFacts, options: VerifyOptions): Promise<ShardOutcome[]> {
    const outcomes: ShardOutcome[] = [];
    for (const [position, { source, read }] of this.#held) {
      // Format v2's signature (undefined for v1, at no cost): checked on this shard's thread.
      const signature = read.signed === undefined ? undefined : await (await loadFormatV2()).checkSignatureV2(read);
      const result = runSteps(assembleFacts(read, position, chain, options, signature));
      const failedStep = result.steps.find((step) => step.status === "failed")?.name;
      outcomes.push({ position, status: result.status, failedStep, json: resultJson({ source, ...result }) });
    }
    this.#held.clear();
    return outcomes;
  }
}
