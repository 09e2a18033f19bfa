import { BulkVerification, type ParallelOptions } from "./BulkVerification.ts";
import type { VerifyOptions } from "./verificationTypes.ts";
import type { ShardItem, ShardOutcome } from "./VerificationShard.ts";

export type { ParallelOptions } from "./BulkVerification.ts";

/**
 * Verifies many credentials (files, or texts) like {@link verifyCredentials}, with the per-credential work (reading,
 * strict parsing, validation, hashing, the steps) shared between this thread and worker threads, and the chain asked
 * once, in bulk, from this thread while the files are read. Results come back in input order, as JSON text. Any
 * failure of a thread rejects the whole run: a verdict is never given for some credentials and silently missing for
 * others. (To start reading before the options are known, use {@link BulkVerification}.)
 */
export async function verifyInParallel(items: readonly ShardItem[], options: VerifyOptions, parallel: ParallelOptions = {}): Promise<ShardOutcome[]> {
  return new BulkVerification(items, parallel).finish(options);
}
