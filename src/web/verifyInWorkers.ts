import { VerificationWorkerError } from "../errors/verifierErrors.ts";
import { readPortfolioCredential } from "../portfolio/verifyPortfolioCredentials.ts";
import type { VerificationResult } from "../verifier/verificationTypes.ts";
import { verifyReadCredentials } from "../verifier/verifyCredentials.ts";

/** What a page's verification may carry to a worker: no provider object, only where the chain is and what to trust. */
export type WorkerVerifyOptions = { readonly rpcUrl: string; readonly trustedRegistries: readonly string[] };
/** A group of credentials (their bytes or text) for a worker to verify. */
export type WorkerRequest = { readonly id: number; readonly inputs: readonly (Uint8Array | string)[]; readonly options: WorkerVerifyOptions };
/** A worker's answer: one result per credential of the group, in order; or why it could not verify the group. */
export type WorkerReply = { readonly id: number; readonly results?: VerificationResult[]; readonly error?: string };

export type WorkerPool = {
  /** The worker script (`/assets/portfolio-worker.js`). */
  readonly scriptUrl: string;
  /** Workers to start (at most one per group). */
  readonly workers: number;
  /** Credentials per group: each group is one bulk verification (the chain asked once for it). */
  readonly chunkSize: number;
  /** Called after each group with how many are verified so far. */
  readonly onProgress?: ((verified: number, total: number) => void) | undefined;
};

/**
 * Verifies credentials in the browser on several module workers (one per core, as the CLI uses worker threads), in
 * groups of `chunkSize`; returns one result per input, in input order. Where the browser has no workers it verifies
 * the groups on the page's thread. A worker that fails (or a group it cannot verify) fails the whole verification
 * with a {@link VerificationWorkerError}: no partial result is ever given as a verdict.
 */
export async function verifyInWorkers(inputs: readonly (Uint8Array | string)[], options: WorkerVerifyOptions, pool: WorkerPool): Promise<VerificationResult[]> {
  const groups: (readonly (Uint8Array | string)[])[] = [];
  for (let start = 0; start < inputs.length; start += pool.chunkSize) groups.push(inputs.slice(start, start + pool.chunkSize));
  const results: VerificationResult[][] = new Array(groups.length);
  let verified = 0;
  const done = (index: number, groupResults: VerificationResult[]) => {
    if (groupResults.length !== groups[index]!.length) throw new VerificationWorkerError(`A verification worker gave ${groupResults.length} results for ${groups[index]!.length} credentials; nothing was verified.`);
    results[index] = groupResults;
    verified += groupResults.length;
    pool.onProgress?.(verified, inputs.length);
  };
  if (typeof Worker === "undefined") {
    for (const [index, group] of groups.entries()) {
      done(index, await verifyReadCredentials(group.map((input) => readPortfolioCredential(input)), options));
      // Lets the page repaint between groups.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return results.flat();
  }
  const workers = Array.from({ length: Math.max(1, Math.min(pool.workers, groups.length)) }, () => new Worker(pool.scriptUrl, { type: "module" }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= groups.length) {
                resolve();
                return;
              }
              const id = next;
              next += 1;
              worker.postMessage({ id, inputs: groups[id]!, options } satisfies WorkerRequest);
            };
            worker.onmessage = (event: MessageEvent<WorkerReply>) => {
              const reply = event.data;
              if (reply.results === undefined) {
                reject(new VerificationWorkerError(`A verification worker could not verify credentials ${reply.id * pool.chunkSize + 1} to ${reply.id * pool.chunkSize + groups[reply.id]!.length}; nothing was verified.`, { details: reply.error }));
                return;
              }
              try {
                done(reply.id, reply.results);
              } catch (error) {
                reject(error);
                return;
              }
              send();
            };
            worker.onerror = (event) => {
              event.preventDefault();
              reject(new VerificationWorkerError("A verification worker stopped; nothing was verified.", { details: event.message }));
            };
            worker.onmessageerror = () => reject(new VerificationWorkerError("A verification worker's answer could not be read; nothing was verified."));
            send();
          }),
      ),
    );
  } finally {
    for (const worker of workers) worker.terminate();
  }
  return results.flat();
}
