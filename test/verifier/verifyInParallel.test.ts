import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { VerificationWorkerError } from "../../src/errors/verifierErrors.ts";
import { BulkVerification } from "../../src/verifier/BulkVerification.ts";
import { ShardWorker } from "../../src/verifier/ShardWorker.ts";
import type { ShardItem, ShardOutcome } from "../../src/verifier/VerificationShard.ts";
import type { VerificationResult, VerifyOptions } from "../../src/verifier/verificationTypes.ts";
import { verifyCredentials } from "../../src/verifier/verifyCredentials.ts";
import { verifyInParallel } from "../../src/verifier/verifyInParallel.ts";
import { deterministicBatchOnNode } from "../helpers/deterministicBatch.ts";

// Bulk verification shared between this thread and worker threads gives exactly the library's results, in input
// order; a thread that dies fails the whole run (never a partial set of verdicts).

const CORPUS = path.resolve(import.meta.dirname, "../fixtures/forged");
let node: LocalNode;
let options: VerifyOptions;
let files: string[];

beforeAll(async () => {
  node = await startHardhatNode();
  const { registry } = await deterministicBatchOnNode(node.url);
  options = { rpcUrl: node.url, trustedRegistries: [registry] };
  files = (await readdir(CORPUS)).filter((name) => name.endsWith(".json") && name !== "expected.json").sort().map((name) => path.join(CORPUS, name));
});

afterAll(async () => {
  await node?.stop();
});

/** `count` items cycling over the forged corpus (valid, revoked, suspended and forged files). */
const itemsOf = (count: number): ShardItem[] => Array.from({ length: count }, (_, position) => ({ position, source: files[position % files.length]!, path: files[position % files.length]! }));

/** A result without the moment it was checked at (the only part that differs between two runs). */
const comparable = (result: unknown) => JSON.parse(JSON.stringify(result), (key, value: unknown) => (key === "checkedAt" ? undefined : value)) as unknown;

describe("verifyInParallel", () => {
  it("default: 700 files on two threads give, by position, exactly what verifyCredentials gives for each", async () => {
    // Handed over last position first: the results still come back in position order.
    const items = itemsOf(700);
    const outcomes = await verifyInParallel([...items].reverse(), options, { threads: 2 });
    expect(outcomes.map((outcome) => outcome.position)).toEqual(items.map((item) => item.position));
    const { readFile } = await import("node:fs/promises");
    const library = await verifyCredentials(await Promise.all(files.map((file) => readFile(file))), options);
    outcomes.forEach((outcome, position) => {
      const want = library[position % files.length]!;
      expect(comparable(JSON.parse(outcome.json)), items[position]!.source).toEqual(comparable({ source: items[position]!.source, ...want }));
      expect(outcome.status).toBe(want.status);
      expect(outcome.failedStep).toBe(want.steps.find((step) => step.status === "failed")?.name);
    });
    // The corpus holds every verdict: the comparison covered valid, invalid and each failing step.
    expect(new Set(outcomes.map((outcome) => outcome.status))).toEqual(new Set(["valid", "invalid"]));
  });

  it("behavior: one thread and two threads agree byte for byte (but for the time checked)", async () => {
    const items = itemsOf(600);
    const [one, two] = [await verifyInParallel(items, options, { threads: 1 }), await verifyInParallel(items, options, { threads: 2 })];
    expect(two.map((outcome) => comparable(JSON.parse(outcome.json)))).toEqual(one.map((outcome) => comparable(JSON.parse(outcome.json))));
  });

  it("behavior: a file that cannot be read fails its own format step; every other file keeps its verdict", async () => {
    const items = itemsOf(550);
    const missing = path.join(await mkdtemp(path.join(tmpdir(), "credreg-parallel-")), "gone.json");
    items[517] = { position: 517, source: missing, path: missing };
    const outcomes = await verifyInParallel(items, options, { threads: 2 });
    const failed = JSON.parse(outcomes[517]!.json) as VerificationResult & { source: string };
    expect(failed.status).toBe("invalid");
    expect(failed.steps[0]).toMatchObject({ name: "format", status: "failed", message: "Not a credential of this format: 1 problem, first $: the file could not be read (ENOENT)." });
    const reference = await verifyInParallel(itemsOf(550), options, { threads: 1 });
    outcomes.forEach((outcome, position) => {
      if (position !== 517) expect(outcome.status, `${position}`).toBe(reference[position]!.status);
    });
  });

  it("behavior: workers stopped at any moment of their start end cleanly (terminating one inside the keccak addon's set-up aborted the process)", async () => {
    for (let round = 0; round < 30; round += 1) {
      const worker = new ShardWorker();
      await new Promise((resolve) => setTimeout(resolve, round * 7));
      await worker.stop();
    }
    // Still a working process: a fresh worker answers.
    expect((await verifyInParallel(itemsOf(500), options, { threads: 2 })).length).toBe(500);
  });

  it("error: a worker thread that dies fails the whole run with VerificationWorkerError, never a partial set of verdicts", async () => {
    const dying = new ShardWorker(new URL("../helpers/exitingWorker.ts", import.meta.url));
    try {
      let outcomes: ShardOutcome[] | undefined;
      const error = await verifyInParallel(itemsOf(600), options, { threads: 2, workers: [dying] }).then((value) => {
        outcomes = value;
      }, (caught: unknown) => caught);
      expect(outcomes).toBeUndefined();
      expect(error).toBeInstanceOf(VerificationWorkerError);
      expect((error as VerificationWorkerError).shortMessage).toBe("A verification thread stopped before it gave every result; no credential was given a verdict.");
    } finally {
      await dying.stop();
    }
  });
});

describe("BulkVerification", () => {
  it("behavior: every file is read before the options are known; finish(options) then gives what verifyInParallel gives", async () => {
    const items = itemsOf(800);
    let read = 0;
    const bulk = new BulkVerification(items, { threads: 2, progress: (done) => (read = done) });
    const deadline = Date.now() + 20_000;
    while (read < items.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    // All 800 read, parsed, validated and hashed on two threads with no chain, no trust, no options at all.
    expect(read).toBe(items.length);
    const outcomes = await bulk.finish(options);
    const reference = await verifyInParallel(items, options, { threads: 1 });
    expect(outcomes.map((outcome) => comparable(JSON.parse(outcome.json)))).toEqual(reference.map((outcome) => comparable(JSON.parse(outcome.json))));
    await expect(bulk.finish(options)).rejects.toThrow(/called twice/);
  });

  it("behavior: abandon() stops the reading early (nothing more is read after it returns) and no verdict can follow", async () => {
    const items = itemsOf(20_000);
    let read = 0;
    const bulk = new BulkVerification(items, { threads: 2, progress: (done) => (read = done) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await bulk.abandon();
    const stoppedAt = read;
    expect(stoppedAt).toBeLessThan(items.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(read).toBe(stoppedAt);
    await expect(bulk.finish(options)).rejects.toThrow(/after abandon/);
  });
});
