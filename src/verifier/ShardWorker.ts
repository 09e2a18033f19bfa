import { Worker } from "node:worker_threads";
import { VerificationWorkerError } from "../errors/verifierErrors.ts";
import type { ChainFacts, ChainQuery } from "./gatherChainFacts.ts";
import type { VerifyOptions } from "./verificationTypes.ts";
import type { ShardItem, ShardOutcome } from "./VerificationShard.ts";

/** What the main thread asks a worker: read a chunk of items, or run the steps of all it holds. */
export type WorkerRequest =
  | { readonly kind: "read"; readonly items: readonly ShardItem[] }
  | { readonly kind: "finish"; readonly chain: ChainFacts; readonly options: VerifyOptions }
  | { readonly kind: "stop" };
export type WorkerReply = { readonly kind: "read"; readonly queries: ChainQuery[] } | { readonly kind: "finished"; readonly outcomes: ShardOutcome[] } | { readonly kind: "failed"; readonly message: string };

/** Below this many credentials one thread is faster than starting workers (each loads the verifier's modules). */
export const MIN_PARALLEL = 500;

/** A worker thread answering requests in the order they were sent; any failure of the thread rejects them all. */
export class ShardWorker {
  /** The positions of the items this worker holds (set by whoever hands it items). */
  readonly positions = new Set<number>();
  readonly #worker: Worker;
  readonly #pending: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }[] = [];
  #failure: Error | undefined;
  #exited = false;

  /** Starts the worker thread; `script` is the verifier's own worker (another script only to test failures). */
  constructor(script: URL = new URL("./verificationWorker.ts", import.meta.url)) {
    this.#worker = new Worker(script);
    this.#worker.on("message", (reply: WorkerReply) => this.#pending.shift()?.resolve(reply));
    this.#worker.on("error", (error) => this.#fail(new VerificationWorkerError("A verification thread failed; no credential was given a verdict.", { details: error.message, cause: error })));
    this.#worker.on("exit", (code) => {
      this.#exited = true;
      this.#fail(new VerificationWorkerError("A verification thread stopped before it gave every result; no credential was given a verdict.", { details: `exit code ${code}` }));
    });
  }

  async ask(request: WorkerRequest): Promise<WorkerReply> {
    if (this.#failure !== undefined) throw this.#failure;
    const reply = await new Promise<WorkerReply>((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#worker.postMessage(request);
    });
    if (reply.kind === "failed") throw new VerificationWorkerError("A verification thread failed; no credential was given a verdict.", { details: reply.message });
    return reply;
  }

  /**
   * Stops the thread once it has answered what it was asked: it is told to stop and exits by itself. It is never
   * terminated while it may be loading: terminating a thread inside a native addon's set-up (the `keccak` addon)
   * aborts the whole process. Only a thread that has not exited 10 s after being told is terminated.
   */
  async stop(): Promise<void> {
    this.#fail(new VerificationWorkerError("The verification thread was stopped before it answered."));
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
    this.#worker.postMessage({ kind: "stop" } satisfies WorkerRequest);
    const deadline = setTimeout(() => void this.#worker.terminate(), 10_000);
    await exited;
    clearTimeout(deadline);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.splice(0)) pending.reject(error);
  }
}

/** Starts `count` worker threads of a bulk verification (they load the verifier's modules meanwhile). */
export function startShardWorkers(count: number): ShardWorker[] {
  return Array.from({ length: Math.max(0, count) }, () => new ShardWorker());
}
