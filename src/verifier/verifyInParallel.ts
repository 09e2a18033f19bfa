import { availableParallelism } from "node:os";
import { VerificationWorkerError } from "../errors/verifierErrors.ts";
import { type ChainFacts, type ChainQuery, gatherChainFacts } from "./gatherChainFacts.ts";
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

/** What the chain said, narrowed to the credentials one worker holds (shared records go to every worker). */
function factsFor(chain: ChainFacts, positions: ReadonlySet<number>): ChainFacts {
  const mine = <T>(map: ReadonlyMap<number, T>) => new Map([...map].filter(([position]) => positions.has(position)));
  return { ...chain, onChain: mine(chain.onChain), histories: mine(chain.histories) };
}

/**
 * Verifies many credentials (files, or texts) like {@link verifyCredentials}, with the per-credential work (reading,
 * strict parsing, validation, hashing, the steps) shared between this thread and worker threads, and the chain asked
 * once, in bulk, from this thread. Results come back in input order, as JSON text. Any failure of a thread rejects
 * the whole run: a verdict is never given for some credentials and silently missing for others.
 */
export async function verifyInParallel(items: readonly ShardItem[], options: VerifyOptions, parallel: ParallelOptions = {}): Promise<ShardOutcome[]> {
  const threads = items.length < MIN_PARALLEL ? 1 : Math.max(1, Math.min(parallel.threads ?? availableParallelism(), Math.ceil(items.length / CHUNK)));
  // This thread is one of the threads: it starts at once, while the workers load the verifier's modules.
  const local = new VerificationShard();
  const given = (parallel.workers ?? []).slice(0, threads - 1);
  const own = startShardWorkers(threads - 1 - given.length);
  const workers = [...given, ...own];
  for (const worker of workers) worker.positions.clear();
  try {
    const queries: ChainQuery[] = [];
    let next = 0;
    let done = 0;
    const take = () => {
      const chunk = items.slice(next, next + CHUNK);
      next += chunk.length;
      return chunk;
    };
    const record = (read: readonly ChainQuery[], count: number) => {
      queries.push(...read);
      done += count;
      parallel.progress?.(done, items.length);
    };
    const here = async () => {
      for (let chunk = take(); chunk.length > 0; chunk = take()) {
        record(local.read(chunk), chunk.length);
        // Between chunks, the workers' answers are taken in (and their next chunks sent).
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const lane = async (worker: ShardWorker) => {
      for (let chunk = take(); chunk.length > 0; chunk = take()) {
        for (const item of chunk) worker.positions.add(item.position);
        const reply = await worker.ask({ kind: "read", items: chunk });
        if (reply.kind === "read") record(reply.queries, chunk.length);
      }
    };
    // Two requests in flight per worker: it never waits for this thread to hand it the next chunk.
    await Promise.all([here(), ...workers.flatMap((worker) => [lane(worker), lane(worker)])]);
    queries.sort((a, b) => a.position - b.position);
    const chain = await gatherChainFacts(queries, options);
    // A provider cannot cross threads, and the steps never use it.
    const { provider: _provider, ...portable } = options;
    const finishing = workers.map(async (worker) => worker.ask({ kind: "finish", chain: factsFor(chain, worker.positions), options: portable }));
    const outcomes = local.finish(chain, options);
    for (const reply of await Promise.all(finishing)) if (reply.kind === "finished") outcomes.push(...reply.outcomes);
    if (outcomes.length !== items.length) throw new VerificationWorkerError("The verification threads gave fewer results than credentials; no credential was given a verdict.", { details: `${outcomes.length} of ${items.length}` });
    return outcomes.sort((a, b) => a.position - b.position);
  } finally {
    await Promise.all(own.map((worker) => worker.stop()));
  }
}
