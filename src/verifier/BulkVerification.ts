import { ownerPosition } from "./componentPositions.ts";
import { availableParallelism } from "node:os";
import { VerificationWorkerError } from "../errors/verifierErrors.ts";
import type { ChainFactsGatherer } from "./ChainFactsGatherer.ts";
import type { ChainFacts, ChainQuery } from "./gatherChainFacts.ts";
import type { VerifyOptions } from "./verificationTypes.ts";
import { MIN_PARALLEL, type ShardWorker, startShardWorkers } from "./ShardWorker.ts";
import { type ShardItem, VerificationShard, type ShardOutcome } from "./VerificationShard.ts";

export type ParallelOptions = {
  /** Threads that read and check credentials (default: the machine's available parallelism; 1 = this thread only). */
  readonly threads?: number | undefined;
  /** Called as credentials are read and checked. */
  readonly progress?: ((done: number, total: number) => void) | undefined;
  /**
   * Worker threads started beforehand (see {@link startShardWorkers}), so that they load while the caller prepares;
   * the caller stops them when done (they can serve several calls). More are started (and stopped) if needed.
   */
  readonly workers?: readonly ShardWorker[] | undefined;
};

/** Items handed to a thread at a time: small enough to balance the threads, large enough to keep messages few. */
const CHUNK = 250;

const ignore = () => undefined;

/** What the chain said, narrowed to the credentials one worker holds (shared records go to every worker). */
function factsFor(chain: ChainFacts, positions: ReadonlySet<number>): ChainFacts {
  // A stacked credential's components are kept under positions of their own, owned by the credential's.
  const mine = <T>(map: ReadonlyMap<number, T>) => new Map([...map].filter(([position]) => positions.has(ownerPosition(position))));
  return { ...chain, onChain: mine(chain.onChain), histories: mine(chain.histories) };
}

/**
 * A bulk verification under way: created, it starts reading, strictly parsing, validating and hashing the items at
 * once, shared between this thread and worker threads (chunks taken as threads free up), before it knows what to
 * trust; {@link finish} then gives it the options (trusted registries, the chain), asks the chain (while the last
 * files are still being read), runs the steps on every thread and returns the results in input order, as JSON text.
 * So a caller can connect to its chain and load what it needs while the files are already being read. Any failure of
 * a thread rejects the whole verification: a verdict is never given for some credentials and missing for others.
 */
export class BulkVerification {
  readonly #items: readonly ShardItem[];
  readonly #progress: ParallelOptions["progress"];
  /** This thread is one of the threads. */
  readonly #local = new VerificationShard();
  readonly #workers: readonly ShardWorker[];
  /** Workers started here (stopped here); the others belong to the caller. */
  readonly #own: readonly ShardWorker[];
  readonly #reading: Promise<void>;
  #next = 0;
  #done = 0;
  /** Queries read before the options (and so the chain) are known. */
  #waiting: ChainQuery[] = [];
  #gatherer: ChainFactsGatherer | undefined;
  #abandoned = false;
  #finishing = false;

  constructor(items: readonly ShardItem[], parallel: ParallelOptions = {}) {
    this.#items = items;
    this.#progress = parallel.progress;
    const threads = items.length < MIN_PARALLEL ? 1 : Math.max(1, Math.min(parallel.threads ?? availableParallelism(), Math.ceil(items.length / CHUNK)));
    const given = (parallel.workers ?? []).slice(0, threads - 1);
    this.#own = startShardWorkers(threads - 1 - given.length);
    this.#workers = [...given, ...this.#own];
    for (const worker of this.#workers) worker.positions.clear();
    // Two requests in flight per worker: it never waits for this thread to hand it the next chunk. The workers get
    // their first chunks now; this thread starts on its own after the caller's current task.
    const lanes = this.#workers.flatMap((worker) => [this.#lane(worker), this.#lane(worker)]);
    this.#reading = Promise.all([this.#here(), ...lanes]).then(ignore);
    this.#reading.catch(ignore);
  }

  /** Verifies with `options`: the chain asked (once, in bulk), the steps run; results by position. Call once. */
  async finish(options: VerifyOptions): Promise<ShardOutcome[]> {
    if (this.#finishing || this.#abandoned) throw new Error("BulkVerification.finish called twice, or after abandon()");
    this.#finishing = true;
    try {
      // The chain's reader (and ethers) load while the threads read.
      const { ChainFactsGatherer } = await import("./ChainFactsGatherer.ts");
      this.#gatherer = new ChainFactsGatherer(options);
      this.#gatherer.add(this.#waiting.splice(0));
      await this.#reading;
      const chain = await this.#gatherer.finish();
      // A provider cannot cross threads, and the steps never use it.
      const { provider: _provider, ...portable } = options;
      const finishing = this.#workers.map(async (worker) => worker.ask({ kind: "finish", chain: factsFor(chain, worker.positions), options: portable }));
      const outcomes = await this.#local.finish(chain, options);
      for (const reply of await Promise.all(finishing)) if (reply.kind === "finished") outcomes.push(...reply.outcomes);
      if (outcomes.length !== this.#items.length) throw new VerificationWorkerError("The verification threads gave fewer results than credentials; no credential was given a verdict.", { details: `${outcomes.length} of ${this.#items.length}` });
      return outcomes.sort((a, b) => a.position - b.position);
    } finally {
      await this.#release();
    }
  }

  /** Stops reading (when the verification cannot go on, e.g. nothing to trust): no results; own workers stopped. */
  async abandon(): Promise<void> {
    if (this.#abandoned) return;
    this.#abandoned = true;
    if (this.#finishing) return;
    await this.#reading.catch(ignore);
    await this.#release();
  }

  async #release(): Promise<void> {
    this.#abandoned = true;
    this.#gatherer?.close();
    await Promise.all(this.#own.map((worker) => worker.stop()));
  }

  #take(): readonly ShardItem[] {
    if (this.#abandoned) return [];
    const chunk = this.#items.slice(this.#next, this.#next + CHUNK);
    this.#next += chunk.length;
    return chunk;
  }

  #record(queries: readonly ChainQuery[], count: number): void {
    if (this.#gatherer === undefined) this.#waiting.push(...queries);
    else this.#gatherer.add(queries);
    this.#done += count;
    this.#progress?.(this.#done, this.#items.length);
  }

  async #here(): Promise<void> {
    // Before the first chunk and between chunks, the caller's task, the workers' answers and their next chunks.
    await yieldTurn();
    for (let chunk = this.#take(); chunk.length > 0; chunk = this.#take()) {
      this.#record(await this.#local.read(chunk), chunk.length);
      await yieldTurn();
    }
  }

  async #lane(worker: ShardWorker): Promise<void> {
    for (let chunk = this.#take(); chunk.length > 0; chunk = this.#take()) {
      for (const item of chunk) worker.positions.add(item.position);
      const reply = await worker.ask({ kind: "read", items: chunk });
      if (reply.kind === "read") this.#record(reply.queries, chunk.length);
    }
  }
}

const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));
