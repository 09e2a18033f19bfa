import { BulkVerification } from "../verifier/BulkVerification.ts";
import type { ShardWorker } from "../verifier/ShardWorker.ts";
import type { ShardItem } from "../verifier/VerificationShard.ts";

/** Credentials `credreg verify` holds at once: the input is verified in rounds of this many. */
export const VERIFY_ROUND = 20_000;

export type RoundOptions = {
  readonly threads?: number | undefined;
  readonly workers?: readonly ShardWorker[] | undefined;
  /** Progress over the whole input (not just this round). */
  readonly progress?: ((done: number, total: number) => void) | undefined;
};

/** Starts reading the round of `items` that begins at `start` (see {@link BulkVerification}); loads no chain code. */
export function startVerifyRound(items: readonly ShardItem[], start: number, options: RoundOptions): BulkVerification {
  const { progress } = options;
  return new BulkVerification(items.slice(start, start + VERIFY_ROUND), {
    threads: options.threads,
    workers: options.workers,
    progress: progress === undefined ? undefined : (done) => progress(start + done, items.length),
  });
}
