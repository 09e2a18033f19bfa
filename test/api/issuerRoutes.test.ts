import { mkdtemp, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Contract, HDNodeWallet, Wallet } from "ethers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOB_EVICTED_MESSAGE } from "../../src/api/issuerRoutes.ts";
import { openapiDocument } from "../../src/api/openapiDocument.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { keyRegistryAddressOf } from "../../src/chain/keyRegistryAddressOf.ts";
import { keyRegistryInterface } from "../../src/chain/keyRegistryContract.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { connectSigner, openChain } from "../../src/chain/openChain.ts";
import { ApiKeyStore } from "../../src/store/ApiKeyStore.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";
import { issuerLockFile } from "../../src/store/withIssuerLock.ts";
import { verifyCredentials } from "../../src/verifier/verifyCredentials.ts";
import { sampleAchievement } from "../helpers/sampleCredentials.ts";
import type { AuditEntry } from "../../src/audit/auditTimeline.ts";
import { documentedProperties, expectMatchesSchema } from "./openapiSchemas.ts";

const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public development accounts
const dev = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

let node: LocalNode;
let server: RunningServer;
let storeFile: string;
let registry: string;
let goodKey: string;
let otherIssuerKey: string;
let revokedKey: string;
let outDir: string;
let startIssuerServer: (app: { jobTtlMs?: number; maxJobs?: number }) => Promise<RunningServer>;

beforeAll(async () => {
  node = await startHardhatNode();
  const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const governor = dev(0).connect(provider);
  const deployment = await deployRegistry({ signer: governor });
  registry = deployment.address;
  await sendRegistryTransaction(registryContract(registry, governor), "accreditIssuer", [dev(1).address, "Key University", "https://key.example/issuer"]);
  provider.destroy();

  const dir = await mkdtemp(path.join(tmpdir(), "credreg-api-issuer-"));
  storeFile = path.join(dir, "store.sqlite");
  const keys = ApiKeyStore.open(storeFile);
  goodKey = keys.create(dev(1).address, "registrar").key;
  otherIssuerKey = keys.create(Wallet.createRandom().address, "someone else").key;
  const revoked = keys.create(dev(1).address, "old");
  revokedKey = revoked.key;
  keys.revoke(revoked.prefix);
  keys.close();

  outDir = dir;
  const config = resolveConfig({ "rpc-url": node.url, registry, store: storeFile }, {}, dir);
  startIssuerServer = async (app) => {
    const jobChain = await openChain(config);
    return startServer({
      chain: jobChain,
      store: storeFile,
      confirmations: 1,
      logger: pino({ level: "silent" }),
      port: 0,
      app: { issuer: { signer: connectSigner(jobChain, new Wallet(dev(1).privateKey)), store: IssuerStore.open(storeFile), keys: ApiKeyStore.open(storeFile), outDir: dir }, ...app },
    });
  };
  const chain = await openChain(config);
  server = await startServer({
    chain,
    store: storeFile,
    confirmations: 1,
    logger: pino({ level: "silent" }),
    port: 0,
    app: { issuer: { signer: connectSigner(chain, new Wallet(dev(1).privateKey)), store: IssuerStore.open(storeFile), keys: ApiKeyStore.open(storeFile), outDir: dir } },
  });
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
});

const call = (route: string, body: unknown, key?: string) =>
  fetch(`${server.url}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
    body: JSON.stringify(body),
  });

const batchesInStore = () => {
  const store = IssuerStore.open(storeFile);
  const count = store.listBatches("31337", registry, dev(1).address).length;
  store.close();
  return count;
};

const request = { recipients: [{ name: "Ada Lovelace", email: "ada@example.org" }, { name: "Alan Turing" }, { email: "grace@example.org" }], achievement: sampleAchievement };

describe("issuer routes", () => {
  it("error: no key, a wrong key, a revoked key: 401; a key of another issuer: 403; nothing is done", async () => {
    for (const [key, status, code] of [[undefined, 401, "Unauthorized"], ["crk_not-a-key", 401, "Unauthorized"], [revokedKey, 401, "Unauthorized"], [otherIssuerKey, 403, "Forbidden"]] as const) {
      const response = await call("/v1/batches", request, key);
      expect([response.status, ((await response.json()) as { error: { code: string } }).error.code]).toEqual([status, code]);
    }
    expect(batchesInStore()).toBe(0);
  });

  it("default: POST /v1/batches issues and anchors, returning credentials that verify; revocations follow", async () => {
    const response = await call("/v1/batches", request, goodKey);
    expect(response.status).toBe(201);
    const issued = (await response.json()) as { root: string; leafCount: number; credentials: { proof: { leafIndex: number } }[] };
    expect(issued.leafCount).toBe(3);
    expectMatchesSchema("IssuedBatch", issued);
    expect(Object.keys(issued).sort()).toEqual(documentedProperties("IssuedBatch"));
    const results = await verifyCredentials(issued.credentials, { rpcUrl: node.url, trustedRegistries: [registry] });
    expect(results.map((result) => result.status)).toEqual(["valid", "valid", "valid"]);
    expect(batchesInStore()).toBe(1);

    const again = await call("/v1/batches", request, goodKey);
    expect(again.status).toBe(200); // the same request again: the same batch, not a second anchor
    const againBody = (await again.json()) as { root: string; status: string };
    expect([againBody.root, againBody.status]).toEqual([issued.root, "already-issued"]);
    expectMatchesSchema("IssuedBatch", againBody);

    const index = issued.credentials[0]!.proof.leafIndex;
    const revoked = await call("/v1/revocations", { root: issued.root, indices: [index], reason: "Misconduct" }, goodKey);
    expect(revoked.status).toBe(200);
    // As /openapi.json describes it; a format 1 batch has no status list to rewrite.
    const change = (await revoked.json()) as Record<string, unknown>;
    expectMatchesSchema("StatusChange", change);
    expect(Object.keys(change).sort()).toEqual(documentedProperties("StatusChange"));
    expect(change).toMatchObject({ action: "revoke", reason: 3, transactions: [{ root: issued.root, indices: [index] }], alreadyDone: [], statusLists: [] });
    const [after] = await verifyCredentials([issued.credentials[0]], { rpcUrl: node.url, trustedRegistries: [registry] });
    expect(after!.status).toBe("invalid");
    const twice = await call("/v1/revocations", { root: issued.root, indices: [index], reason: 3 }, goodKey);
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: { message: string } }).error.message).toMatch(/already revoked/);
  });

  it("behavior: formatVersion 2 issues signed Open Badges 3.0 credentials that verify (signature step included); a revocation rewrites the batch's status list", async () => {
    const bad = await call("/v1/batches", { ...request, formatVersion: 3 }, goodKey);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe("formatVersion must be 1 (the default) or 2 (signed Open Badges 3.0).");
    const response = await call("/v1/batches", { ...request, formatVersion: 2 }, goodKey);
    expect(response.status).toBe(201);
    const issued = (await response.json()) as { root: string; credentials: { proof: { type: string; leafIndex?: number }[]; credentialStatus: { statusListCredential: string } }[] };
    expectMatchesSchema("IssuedBatch", issued);
    expect(issued.credentials.map((credential) => credential.proof.map((proof) => proof.type))).toEqual(issued.credentials.map(() => ["DataIntegrityProof", "CredregAnchorProof2026"]));
    const results = await verifyCredentials(issued.credentials, { rpcUrl: node.url, trustedRegistries: [registry] });
    expect(results.map((result) => [result.status, result.steps.find((step) => step.name === "signature")?.status])).toEqual(issued.credentials.map(() => ["valid", "passed"]));
    const revoked = await call("/v1/revocations", { root: issued.root, indices: [issued.credentials[1]!.proof[1]!.leafIndex], reason: "Misconduct" }, goodKey);
    expect(revoked.status).toBe(200);
    const body = (await revoked.json()) as { transactions: { blockNumber: number }[]; statusLists: { url: string; revoked: number }[] };
    expect(body.statusLists).toEqual([expect.objectContaining({ url: issued.credentials[0]!.credentialStatus.statusListCredential, revoked: 1 })]);
    // As /openapi.json describes it: the list rewritten for this batch, at a block that holds the revocation.
    expectMatchesSchema("StatusChange", body);
    expect(Object.keys(body.statusLists[0]!).sort()).toEqual(Object.keys(openapiDocument.components.schemas.StatusChange.properties.statusLists.items.properties).sort());
    expect(body.statusLists[0]).toMatchObject({ root: issued.root, block: expect.any(Number) });
    expect((body.statusLists[0] as unknown as { block: number }).block).toBeGreaterThanOrEqual(body.transactions[0]!.blockNumber);
    const listFile = path.join(path.dirname(storeFile), "status", body.statusLists[0]!.url.split("/").at(-1)!);
    expect(JSON.parse(await readFile(listFile, "utf8"))).toMatchObject({ id: body.statusLists[0]!.url, type: ["VerifiableCredential", "BitstringStatusListCredential"] });
  });

  it("behavior: POST /v1/stacks verifies the holder's components and issues a stacked credential that verifies; another holder's or a bad pathway: 400, nothing anchored", async () => {
    const component = (await (await call("/v1/batches", { recipients: [{ name: "Ada Lovelace", email: "ada@example.org" }], achievement: sampleAchievement, formatVersion: 2 }, goodKey)).json()) as { credentials: unknown[] };
    const pathway = { type: "CredregPathway", id: "https://key.example/pathways/one", qualification: { ...sampleAchievement, id: "https://key.example/qualifications/one", name: "Key Certificate" }, components: [{ achievement: sampleAchievement.id }], required: "all" };
    const before = batchesInStore();
    const otherHolder = await call("/v1/stacks", { pathway, holders: [{ name: "Alan Turing", components: component.credentials }] }, goodKey);
    expect(otherHolder.status).toBe(400);
    const refusal = (await otherHolder.json()) as { error: { message: string; details: unknown } };
    expect(JSON.stringify(refusal.error)).toMatch(/\$\.holders\[0\]\.components\[0\] was issued to \\"Ada Lovelace\\", not to \\"Alan Turing\\"/);
    const badPathway = await call("/v1/stacks", { pathway: { ...pathway, required: 2 }, holders: [{ name: "Ada Lovelace", components: component.credentials }] }, goodKey);
    expect(badPathway.status).toBe(400);
    expect(JSON.stringify(await badPathway.json())).toMatch(/\$\.pathway\.required: must be at most the number of components \(1\)/);
    expect(batchesInStore()).toBe(before);

    const response = await call("/v1/stacks", { pathway, holders: [{ name: "Ada Lovelace", components: component.credentials }] }, goodKey);
    expect(response.status).toBe(201);
    const stacked = (await response.json()) as { leafCount: number; holders: { components: { name: string }[] }[]; credentials: { evidence: { type: string[] }[] }[] };
    expect(stacked.leafCount).toBe(1);
    expect(stacked.holders[0]!.components.map((entry) => entry.name)).toEqual([sampleAchievement.name]);
    const [result] = await verifyCredentials(stacked.credentials, { rpcUrl: node.url, trustedRegistries: [registry] });
    expect(result!.status).toBe("valid");
    expect(result!.steps.find((step) => step.name === "components")).toMatchObject({ status: "passed", message: expect.stringMatching(/^All 1 components valid/) });
    expect(batchesInStore()).toBe(before + 1);
  });

  it("behavior: the issuer's timeline shows the signing key format 2 bound, then its revocation with compromisedAt, as /openapi.json describes", async () => {
    // A format 2 batch of its own: its signing key is bound on chain (SigningKeyAdded) unless an earlier batch bound it.
    const issued = await call("/v1/batches", { recipients: [{ name: "Key Timeline Learner" }], achievement: sampleAchievement, formatVersion: 2 }, goodKey);
    expect(issued.status).toBe(201);
    const keyEntries = async () => {
      const response = await fetch(`${server.url}/v1/audit/issuers/${dev(1).address}`);
      expect(response.status).toBe(200);
      const timeline = (await response.json()) as { entries: AuditEntry[] };
      expectMatchesSchema("Timeline", timeline);
      for (const entry of timeline.entries) expect(Object.keys(entry).sort(), entry.event).toEqual(documentedProperties("AuditEntry"));
      return timeline.entries.filter((entry) => entry.event.startsWith("SigningKey"));
    };
    const [added, ...others] = await keyEntries();
    expect(others).toEqual([]);
    expect(added).toMatchObject({ event: "SigningKeyAdded", issuer: dev(1).address.toLowerCase(), signingKey: expect.stringMatching(/^0x[0-9a-f]{64}$/), compromisedAt: null, reason: null, details: `key=${added!.signingKey}` });

    // An accreditor revokes it as compromised since it was bound: SigningKeyRevoked, with the key and the time.
    const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
    try {
      const addedAt = Date.parse(added!.time) / 1000;
      await sendRegistryTransaction(new Contract(keyRegistryAddressOf(registry), keyRegistryInterface, dev(0).connect(provider)), "revokeSigningKey", [added!.signingKey, addedAt, 4]);
    } finally {
      provider.destroy();
    }
    // The server reuses the latest block number for 250 ms (docs/api.md): a transaction sent past it shows up after that.
    let entries = await keyEntries();
    for (let attempt = 0; attempt < 20 && entries.length < 2; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      entries = await keyEntries();
    }
    expect(entries.map((entry) => entry.event)).toEqual(["SigningKeyAdded", "SigningKeyRevoked"]);
    expect(entries[1]).toMatchObject({
      issuer: dev(1).address.toLowerCase(),
      signingKey: added!.signingKey,
      compromisedAt: added!.time,
      reason: 4,
      reasonName: "KeyCompromise",
      actor: dev(0).address.toLowerCase(),
      details: `key=${added!.signingKey} compromisedAt=${added!.time}`,
    });
  });

  const pollJob = async (base: string, poll: string) => {
    let state: { state: string; result?: Record<string, unknown> } = { state: "running" };
    for (let attempt = 0; attempt < 300 && state.state === "running"; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await (await fetch(`${base}${poll}`, { headers: { authorization: `Bearer ${goodKey}` } })).json()) as typeof state;
    }
    return state;
  };

  it("behavior: a large batch is a job: 202, then progress, then a small summary; its credentials are streamed byte for byte from the issued file", async () => {
    const large = { recipients: Array.from({ length: 1001 }, (_, index) => ({ name: `Learner ${index}` })), achievement: sampleAchievement };
    const accepted = await call("/v1/batches", large, goodKey);
    expect(accepted.status).toBe(202);
    const { job, poll } = (await accepted.json()) as { job: string; poll: string };
    expect(accepted.headers.get("location")).toBe(poll);
    const state = await pollJob(server.url, poll);
    expect(state.state).toBe("done");
    // The in-memory record is a summary: no credential array, a few hundred bytes whatever the batch's size.
    expect(state.result).toEqual({ status: "issued", root: expect.stringMatching(/^0x[0-9a-f]{64}$/), leafCount: 1001, transactionHash: expect.any(String), blockNumber: expect.any(Number), anchoredAt: expect.any(String), credentials: `/v1/jobs/${job}/credentials` });
    expect(JSON.stringify(state).length).toBeLessThan(1000);

    const streamed = await fetch(`${server.url}/v1/jobs/${job}/credentials`, { headers: { authorization: `Bearer ${goodKey}` } });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const text = await streamed.text();
    const root = state.result!.root as string;
    const files = await Promise.all((await readdir(outDir)).filter((name) => name.startsWith("batch-")).map((name) => readFile(path.join(outDir, name, "credentials.ndjson"), "utf8").catch(() => "")));
    const issuedFile = files.filter((file) => file.includes(root));
    expect(issuedFile).toHaveLength(1);
    expect(text).toBe(issuedFile[0]); // byte for byte what the issuer pipeline wrote
    const credentials = text.trim().split("\n").map((line) => JSON.parse(line) as { proof: { merkleRoot: string } });
    expect(credentials).toHaveLength(1001);
    const results = await verifyCredentials(credentials.slice(0, 3), { rpcUrl: node.url, trustedRegistries: [registry] });
    expect(results.map((result) => result.status)).toEqual(["valid", "valid", "valid"]);

    expect((await fetch(`${server.url}/v1/jobs/${job}`)).status).toBe(401);
    expect((await fetch(`${server.url}/v1/jobs/${job}/credentials`)).status).toBe(401);
    const missing = await fetch(`${server.url}/v1/jobs/nope`, { headers: { authorization: `Bearer ${goodKey}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: unknown }).error).toEqual({ code: "JobNotFound", message: JOB_EVICTED_MESSAGE, details: [] });
  });

  it("behavior: a finished job is evicted after its TTL and answers 404 naming where the batch is", async () => {
    const shortLived = await startIssuerServer({ jobTtlMs: 1500 });
    try {
      const large = { recipients: Array.from({ length: 1001 }, (_, index) => ({ name: `Evicted Learner ${index}` })), achievement: sampleAchievement };
      const accepted = await fetch(`${shortLived.url}/v1/batches`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${goodKey}` }, body: JSON.stringify(large) });
      expect(accepted.status).toBe(202);
      const { poll } = (await accepted.json()) as { poll: string };
      const state = await pollJob(shortLived.url, poll);
      expect(state.state).toBe("done");
      await new Promise((resolve) => setTimeout(resolve, 1600));
      for (const route of [poll, `${poll}/credentials`]) {
        const gone = await fetch(`${shortLived.url}${route}`, { headers: { authorization: `Bearer ${goodKey}` } });
        expect(gone.status).toBe(404);
        expect(((await gone.json()) as { error: { message: string } }).error.message).toBe(
          "No such job: finished jobs are kept in memory for a limited time; a finished batch stays in the issuer's store and output folder: GET /v1/batches/:issuer/:root gives its record.",
        );
      }
      const stored = await fetch(`${shortLived.url}/v1/batches/${dev(1).address}/${state.result!.root as string}`);
      expect(stored.status).toBe(200);
    } finally {
      await shortLived.close();
    }
  });

  it("behavior: beyond the maximum count, the oldest finished job is evicted", async () => {
    const small = await startIssuerServer({ maxJobs: 1 });
    try {
      const polls: string[] = [];
      for (const name of ["First", "Second"]) {
        const large = { recipients: Array.from({ length: 1001 }, (_, index) => ({ name: `${name} Learner ${index}` })), achievement: sampleAchievement };
        const accepted = await fetch(`${small.url}/v1/batches`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${goodKey}` }, body: JSON.stringify(large) });
        const { poll } = (await accepted.json()) as { poll: string };
        expect((await pollJob(small.url, poll)).state).toBe("done");
        polls.push(poll);
      }
      const statuses = await Promise.all(polls.map(async (poll) => (await fetch(`${small.url}${poll}`, { headers: { authorization: `Bearer ${goodKey}` } })).status));
      expect(statuses).toEqual([404, 200]);
    } finally {
      await small.close();
    }
  });

  it("error: invalid rows are all named, and nothing is anchored", async () => {
    const before = batchesInStore();
    const response = await call("/v1/batches", { recipients: [{ name: "Fine" }, { email: "nope" }, {}], achievement: sampleAchievement }, goodKey);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; details: string[] } };
    expect(body.error.code).toBe("InvalidInput");
    expect(body.error.details.slice(0, 2)).toEqual(["$[1]: email: must be an e-mail address", "$[2]: needs a name and/or an email"]);
    const badAchievement = await call("/v1/batches", { recipients: [{ name: "Fine" }], achievement: { name: "x" } }, goodKey);
    expect(badAchievement.status).toBe(400);
    const badStatus = await call("/v1/suspensions", { root: "0x12", indices: [1], reason: 8 }, goodKey);
    expect(badStatus.status).toBe(400);
    expect(batchesInStore()).toBe(before);
  });

  it("error: a body that is not I-JSON (duplicate names, lone surrogates) is refused whole with each problem, and nothing is issued", async () => {
    const before = batchesInStore();
    const send = (text: string) => fetch(`${server.url}/v1/batches`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${goodKey}` }, body: text });
    const duplicate = await send(`{"recipients":[{"name":"Ada Lovelace","name":"Mallory"}],"achievement":${JSON.stringify(sampleAchievement)}}`);
    expect(duplicate.status).toBe(400);
    expect((await duplicate.json()).error).toEqual({
      code: "InvalidJson",
      message: "The body is not I-JSON (RFC 7493): fix every problem listed.",
      details: [{ path: "$.recipients[0].name", message: 'the member name "name" appears twice in one object (I-JSON, RFC 7493): readers disagree on which value counts' }],
    });
    const surrogate = await send(`{"recipients":[{"name":"Ada"}, {"name":"Ada \\ud800"}],"achievement":${JSON.stringify(sampleAchievement)}}`);
    expect(surrogate.status).toBe(400);
    expect((await surrogate.json()).error.details).toEqual([{ path: "$.recipients[1].name", message: "not I-JSON: the string has a lone surrogate (half of a UTF-16 pair)" }]);
    expect(batchesInStore()).toBe(before);
  });
  it("behavior: while another process holds the issuer's lock, a batch request waits for it without stalling the server, then issues", async () => {
    const { provider } = await connectRpc(node.url);
    const genesisHash = (await provider.getBlock(0))!.hash!;
    provider.destroy();
    const lock = issuerLockFile({ storeFile, chainId: "31337", genesisHash, issuer: dev(1).address });
    // The parent of this test process runs as long as the test: a live holder, as a `credreg issue` would be.
    await writeFile(lock, JSON.stringify({ format: "credreg-lock-v1", pid: process.ppid, processStart: null, since: new Date().toISOString(), token: "cli" }));
    const before = batchesInStore();
    let settled = false;
    const pending = call("/v1/batches", { recipients: [{ name: "Waiting Learner" }], achievement: sampleAchievement }, goodKey).then((response) => {
      settled = true;
      return response;
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    // The wait is asynchronous: the server answers other requests meanwhile, and nothing was issued.
    const started = Date.now();
    expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    expect(settled).toBe(false);
    expect(batchesInStore()).toBe(before);
    await unlink(lock);
    const response = await pending;
    expect(response.status).toBe(201);
    expect(batchesInStore()).toBe(before + 1);
  });
});
