// A worker thread that dies on its first request: what a crash (or an out-of-memory kill) of a verification thread
// looks like to the main thread.
import { parentPort } from "node:worker_threads";

parentPort?.once("message", () => process.exit(3));
