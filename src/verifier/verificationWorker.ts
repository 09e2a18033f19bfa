// A worker thread of a bulk verification: one VerificationShard, driven by messages from a ShardWorker.
import module from "node:module";
import { parentPort } from "node:worker_threads";
import type { WorkerReply, WorkerRequest } from "./ShardWorker.ts";

const port = parentPort;
if (port === null) throw new Error("verificationWorker.ts runs only as a worker thread.");
// As the command line does (see src/cli/credreg.ts): the verifier's modules load from the compile cache. Requests sent
// meanwhile wait in the port until the listener below is attached.
module.enableCompileCache?.();
const { VerificationShard } = await import("./VerificationShard.ts");
const shard = new VerificationShard();

/** Answers one request. */
async function answer(request: Exclude<WorkerRequest, { kind: "stop" }>): Promise<WorkerReply> {
  try {
    return request.kind === "read" ? { kind: "read", queries: await shard.read(request.items) } : { kind: "finished", outcomes: await shard.finish(request.chain, request.options) };
  } catch (error) {
    return { kind: "failed", message: error instanceof Error ? error.message : String(error) };
  }
}

// One request at a time, in the order sent (a read may wait for the format v2 code to load): the ShardWorker pairs
// each reply with the oldest request not yet answered.
let queue = Promise.resolve();
port.on("message", (request: WorkerRequest) => {
  queue = queue.then(async () => {
    // Nothing is left to do: with its port closed, the thread ends by itself.
    if (request.kind === "stop") port.close();
    else port.postMessage(await answer(request));
  });
});
