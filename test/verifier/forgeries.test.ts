import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { JsonSyntaxProblem, parseJsonText } from "../../src/credential/parseJsonText.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import type { VerificationResult, VerifyOptions } from "../../src/verifier/verificationTypes.ts";
import { verifyCredential, verifyCredentials } from "../../src/verifier/verifyCredentials.ts";
import { credentialMutation, mayStayValid, type Mutation } from "../helpers/credentialMutations.ts";
import { deterministicBatchOnNode } from "../helpers/deterministicBatch.ts";
import { runCli } from "../helpers/runCli.ts";

// Forged files never verify, through the library, the CLI and POST /v1/verify (the web page: test/web/forgeries.test.ts).
// 1. A frozen corpus (test/fixtures/forged, made once from the deterministic batch), each with its failing step.
// 2. A property: any change to a genuine file is valid only if its canonical form is the genuine one's.

const CORPUS = new URL("../fixtures/forged/", import.meta.url);
type Expected = Record<string, { status: "valid" | "invalid"; failedStep: string | null; about: string }>;

/** Property runs through the library per `npm test` (the CLI and the API take samples of the same generator). */
const LIBRARY_RUNS = 300;
const SAMPLE_RUNS = 150;

let node: LocalNode;
let server: RunningServer;
let options: VerifyOptions;
let genuine: string;
let work: string;
let expected: Expected;

beforeAll(async () => {
  node = await startHardhatNode();
  const { registry } = await deterministicBatchOnNode(node.url);
  options = { rpcUrl: node.url, trustedRegistries: [registry] };
  genuine = await readFile(new URL("genuine.json", CORPUS), "utf8");
  expected = JSON.parse(await readFile(new URL("expected.json", CORPUS), "utf8")) as Expected;
  work = await mkdtemp(path.join(tmpdir(), "credreg-forgeries-"));
  const config = resolveConfig({ "rpc-url": node.url, registry, store: path.join(work, "store.sqlite") }, {}, work);
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { publicRateLimit: 1_000_000 } });
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
});

const firstFailed = (result: Pick<VerificationResult, "steps">) => result.steps.find((step) => step.status === "failed")?.name ?? null;
const outcome = (result: Pick<VerificationResult, "status" | "steps">) => ({ status: result.status, failedStep: firstFailed(result) });
const post = (body: string | Buffer) => fetch(`${server.url}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : new Blob([new Uint8Array(body)]) });

describe("the frozen corpus of forged files", () => {
  it("default: the corpus covers every kind of forgery it lists, and the genuine file is valid on this chain", async () => {
    const names = (await readdir(CORPUS)).filter((name) => name !== "expected.json" && name !== "README.md").sort();
    expect(names).toEqual(Object.keys(expected).sort());
    expect(names.length).toBeGreaterThan(35);
    expect(outcome(await verifyCredential(genuine, options))).toEqual({ status: "valid", failedStep: null });
  });

  it("behavior: through the library, each file gives exactly its expected verdict and failing step", async () => {
    const names = Object.keys(expected);
    const results = await verifyCredentials(await Promise.all(names.map((name) => readFile(new URL(name, CORPUS)))), options);
    names.forEach((name, position) => expect(outcome(results[position]!), `${name}: ${expected[name]!.about}`).toEqual({ status: expected[name]!.status, failedStep: expected[name]!.failedStep }));
  });

  it("behavior: through the CLI (one run over the corpus folder), each file gives its expected verdict and failing step", async () => {
    const run = await runCli(["verify", CORPUS.pathname, "--json", "--registry", options.trustedRegistries[0]!], { cwd: work, env: { CREDREG_RPC_URL: node.url } });
    expect(run.code).toBe(1);
    const bySource = new Map<string, VerificationResult>(run.json.results.map((result: VerificationResult & { source: string }) => [path.basename(result.source), result]));
    for (const [name, want] of Object.entries(expected)) expect(outcome(bySource.get(name)!), name).toEqual({ status: want.status, failedStep: want.failedStep });
  });

  it("behavior: through POST /v1/verify, each file (sent as its exact bytes) gives its verdict; text that is not JSON is a 400", async () => {
    for (const [name, want] of Object.entries(expected)) {
      const bytes = await readFile(new URL(name, CORPUS));
      const response = await post(bytes);
      const body = await response.json();
      if (parseJsonText(bytes) instanceof JsonSyntaxProblem) {
        expect([response.status, body.error.code], name).toEqual([400, "MalformedJson"]);
        continue;
      }
      expect(response.status, name).toBe(200);
      expect(outcome(body), name).toEqual({ status: want.status, failedStep: want.failedStep });
    }
  });
});

describe("any change to a genuine credential (property)", () => {
  const judge = (mutation: Mutation, status: string | undefined) => {
    const allowed = mayStayValid(genuine, mutation.text);
    expect(status === "valid", `${mutation.kind} at ${mutation.path}: ${status}, canonical form ${allowed ? "kept" : "changed"}\n${mutation.text.slice(0, 400)}`).toBe(allowed);
  };

  it(`behavior: through the library, ${LIBRARY_RUNS} mutations: valid exactly when the canonical form is unchanged`, async () => {
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(credentialMutation(genuine), async (mutation) => {
        const result = await verifyCredential(mutation.text, options);
        if (mayStayValid(genuine, mutation.text)) kept += 1;
        judge(mutation, result.status);
      }),
      { numRuns: LIBRARY_RUNS },
    );
    // The generator really produces both kinds (else the property says little).
    expect(kept).toBeGreaterThan(5);
    expect(kept).toBeLessThan(LIBRARY_RUNS / 2);
  });

  it(`behavior: through the CLI, ${SAMPLE_RUNS} mutated files in one run`, async () => {
    const mutations = fc.sample(credentialMutation(genuine), SAMPLE_RUNS);
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-mutations-"));
    await Promise.all(mutations.map((mutation, index) => writeFile(path.join(dir, `m${String(index).padStart(4, "0")}.json`), mutation.text)));
    const run = await runCli(["verify", dir, "--json", "--registry", options.trustedRegistries[0]!], { cwd: work, env: { CREDREG_RPC_URL: node.url } });
    expect(run.json.results).toHaveLength(SAMPLE_RUNS);
    mutations.forEach((mutation, index) => judge(mutation, run.json.results[index].status));
  });

  it(`behavior: through POST /v1/verify, ${SAMPLE_RUNS} mutations in one bulk body (exact texts spliced in) and 20 one by one`, async () => {
    const mutations = fc.sample(credentialMutation(genuine), SAMPLE_RUNS).filter((mutation) => !(parseJsonText(mutation.text) instanceof JsonSyntaxProblem));
    const response = await post(`{"credentials":[${mutations.map((mutation) => mutation.text).join(",")}]}`);
    expect(response.status).toBe(200);
    const body = await response.json();
    mutations.forEach((mutation, index) => judge(mutation, body.results[index].status));
    for (const mutation of fc.sample(credentialMutation(genuine), 20)) {
      const single = await post(mutation.text);
      const answer = await single.json();
      judge(mutation, single.status === 200 ? answer.status : `HTTP ${single.status}`);
    }
  });

  it("error: duplicate names outside the credentials of a bulk body refuse the whole request", async () => {
    const forged = genuine.replace('"Zoë', '"Mallory Zoë');
    const response = await post(`{"credentials":[${forged}],"credentials":[${genuine}]}`);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: "InvalidJson", details: [{ path: "$.credentials", message: expect.stringContaining('the member name "credentials" appears twice') }] });
  });
});
