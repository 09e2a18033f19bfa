import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { MIN_PARALLEL, startShardWorkers } from "../../verifier/ShardWorker.ts";
import { jsonText, print, printJsonParts, progressBar } from "../cliOutput.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import type { BulkVerification } from "../../verifier/BulkVerification.ts";
import { parseVerifyAt } from "../parseVerifyAt.ts";
import type { VerifiedSource } from "../verifyCommand.ts";

/** `--threads`: a whole number from 1 (this thread only) up. */
function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,2}$/.test(text)) throw new InvalidInputError(`--threads ${text} is not a number of threads.`, ["Give a whole number from 1 (no worker threads) to 999; by default every available core is used."]);
  return Number(text);
}

/** Whether the paths may hold enough credentials for worker threads: a directory, or many files. */
async function mayBeBulk(paths: readonly string[]): Promise<boolean> {
  if (paths.length >= MIN_PARALLEL) return true;
  for (const target of paths) if (target !== "-" && (await stat(target).catch(() => undefined))?.isDirectory()) return true;
  return false;
}

/**
 * `credreg verify <file|dir|->...`: verifies against what the verifier trusts (flags, environment, the user's trust
 * file; never a project config file), prints the results and sets the exit code: 0 all valid, 1 any invalid, 2 could
 * not verify. With `--portfolio`, the candidate's portfolio instead (see verifyPortfolioCommand): exit 0 once made.
 */
export async function verifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    at: { type: "string" },
    recipient: { type: "string" },
    "trusted-issuers": { type: "string" },
    threads: { type: "string" },
    verbose: { type: "boolean" },
    portfolio: { type: "boolean" },
    pathways: { type: "string" },
    "holder-name": { type: "string" },
    "holder-email": { type: "string" },
  });
  if (values.config !== undefined) {
    throw new InvalidInputError("verify reads no project config file (--config).", ["Give the registry you trust with --registry, or list it in your user-level trust file (docs/verifier.md)."]);
  }
  const portfolio = values.portfolio === true;
  for (const flag of ["pathways", "holder-name", "holder-email"]) {
    if (!portfolio && values[flag] !== undefined) throw new InvalidInputError(`--${flag} is for portfolios: add --portfolio.`, ["credreg verify --portfolio <files|dirs> [--holder-name <name>] [--holder-email <email>] [--pathways <dir|file>] (docs/verifier.md, Portfolios)."]);
  }
  // A portfolio's own flags (and its pathway files) are checked before any file is read.
  const portfolioOptions = portfolio ? await (await import("./verifyPortfolioCommand.ts")).portfolioOptionsOf(values) : undefined;
  if (positionals.length === 0) throw new InvalidInputError(portfolio ? "verify --portfolio needs the candidate's credential files, directories of them, or - for standard input." : "verify needs credential files, directories, or - for standard input.");
  const threads = parseThreads(str(values.threads)) ?? availableParallelism();
  const at = parseVerifyAt(str(values.at));
  // Worker threads start first: they load the verifier's modules while this thread lists the files. Then the files
  // are being read (on every thread) while this thread loads the chain's code and connects.
  const workers = threads > 1 && (await mayBeBulk(positionals)) ? startShardWorkers(threads - 1) : [];
  let started: BulkVerification | undefined;
  try {
    const [{ collectVerifyItems }, { startVerifyRound }] = await Promise.all([import("../collectVerifyItems.ts"), import("../startVerifyRound.ts")]);
    const items = await collectVerifyItems(positionals, readStdin);
    const output = { json: values.json === true };
    const bar = progressBar(output);
    const round = { threads, workers, progress: bar === undefined ? undefined : (done: number, total: number) => bar("verifying", done, total) };
    if (portfolioOptions !== undefined) {
      await (await import("./verifyPortfolioCommand.ts")).verifyPortfolioCommand({ values, items, round, at, options: portfolioOptions, output });
      return;
    }
    started = items.length > 0 ? startVerifyRound(items, 0, round) : undefined;
    const [{ resolveVerifierTrust }, { runVerify }, { formatVerification }] = await Promise.all([import("../../config/resolveVerifierTrust.ts"), import("../verifyCommand.ts"), import("../formatVerification.ts")]);
    const trust = resolveVerifierTrust({ "rpc-url": str(values["rpc-url"]), registry: str(values.registry), confirmations: str(values.confirmations), "trusted-issuers": str(values["trusted-issuers"]) });
    const verified = runVerify({ ...round, items, at, recipient: str(values.recipient), trust, started });
    started = undefined; // runVerify finishes it, or abandons it
    const { results, summary, trust: report } = await verified;
    if (output.json) {
      // Each result is already JSON text (made by the thread that checked it): the document is assembled, not re-encoded.
      printJsonParts([`{"trust":${jsonText(report)},"summary":${jsonText(summary)},"results":[`, ...results.map((result, index) => (index === 0 ? result.json : `,${result.json}`)), "]}"]);
    } else {
      const detailed = values.verbose === true || results.length <= 10;
      const shown = results.filter((result) => detailed || result.status !== "valid").map((result) => JSON.parse(result.json) as VerifiedSource);
      print(output, undefined, formatVerification(shown, summary, detailed, report));
    }
    process.exitCode = summary.error > 0 ? 2 : summary.invalid > 0 ? 1 : 0;
  } finally {
    await started?.abandon();
    await Promise.all(workers.map((worker) => worker.stop()));
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
