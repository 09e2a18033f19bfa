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

port.on("message", async (request: WorkerRequest) => {
  if (request.kind === "stop") {
    // Nothing is left to do: with its port closed, the thread ends by itself.
    port.close();
    return;
  }
  let reply: WorkerReply;
  try {
    reply = request.kind === "read" ? { kind: "read", queries: shard.read(request.items) } : { kind: "finished", outcomes: await shard.finish(request.chain, request.options) };
  } catch (error) {
    reply = { kind: "failed", message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
