import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuedBatchOnNode } from "../helpers/issuedBatchOnNode.ts";
import { DEFAULT_BODY_LIMIT } from "../../src/api/createApp.ts";
import { MAX_VERIFY_BATCH } from "../../src/api/publicRoutes.ts";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { badgeImageOf } from "../../src/issuer/badgeImageOf.ts";
import { anchoredV2, issuerKeyV2, signedV2 } from "../helpers/credentialsV2.ts";
import { sampleAchievement } from "../helpers/sampleCredentials.ts";

// POST /v1/verify takes up to 1,000 credentials: the default body limit holds 1,000 real credential files of either
// format, with margin.

let node: LocalNode;
let server: RunningServer;
let files: Credential[];
const LIMIT = DEFAULT_BODY_LIMIT;

beforeAll(async () => {
  node = await startHardhatNode();
  const issued = await issuedBatchOnNode(node.url, { name: "Limit University", profileId: "https://limit.example/issuer" }, Array.from({ length: MAX_VERIFY_BATCH }, (_, index) => ({ name: `Learner With A Longer Name ${index}`, email: `learner${index}@example.org` })));
  files = issued.files;
  const dir = await mkdtemp(path.join(tmpdir(), "credreg-body-limit-"));
  const config = resolveConfig({ "rpc-url": node.url, registry: issued.registry, store: path.join(dir, "store.sqlite") }, {}, dir);
  // The default limit: no bodyLimit option.
  server = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await node?.stop();
});

const post = (body: string) => fetch(`${server.url}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body });
/** The 1,000 files as a client that pastes the saved (indented) files would send them, padded with spaces to `size` bytes. */
const bodyOfSize = (size: number) => {
  const text = JSON.stringify({ credentials: files }, null, 2);
  expect(Buffer.byteLength(text)).toBeLessThanOrEqual(size);
  return text + " ".repeat(size - Buffer.byteLength(text));
};

describe("the body limit fits 1,000 credentials", () => {
  it("default: the limit holds 1,000 credentials of a 100,000-credential batch, pretty-printed, with margin", () => {
    // A real file of this 1,000-credential batch (a depth-10 proof), and the same file with a depth-17 proof (the
    // largest batch the API issues: 100,000), as saved on disk (indented).
    const real = files[0]!;
    expect(real.proof.merkleProof.length).toBe(10);
    const deepest = { ...real, proof: { ...real.proof, merkleProof: [...real.proof.merkleProof, ...real.proof.merkleProof.slice(0, 7)] } };
    const perCredential = Buffer.byteLength(JSON.stringify(deepest, null, 2));
    expect(perCredential).toBeGreaterThan(3_300);
    // 1,000 of them in { "credentials": [...] }, indented one level deeper: at least 1.5 times over in the limit.
    const thousand = Buffer.byteLength(JSON.stringify({ credentials: Array.from({ length: MAX_VERIFY_BATCH }, () => deepest) }, null, 2));
    expect(thousand).toBeGreaterThan(2 * 1024 * 1024); // the old limit
    expect(LIMIT).toBeGreaterThanOrEqual(1.5 * thousand);
    expect(LIMIT).toBe(16 * 1024 * 1024);
  });

  it("default: the limit holds 1,000 format 2 credentials (signed, with their generated badge) of a 100,000-credential batch, pretty-printed, with margin", async () => {
    const key = await issuerKeyV2(3);
    const [file] = anchoredV2(await signedV2(1, key)).files as [{ credentialSubject: { achievement: { image: { id: string } } }; proof: [unknown, { merkleProof: string[] }] }];
    // The badge `credreg issue` generates for the sample achievement (the fixture's own image is a tiny placeholder).
    file.credentialSubject.achievement.image.id = badgeImageOf(sampleAchievement, "Demo University of Applied Sciences").id;
    file.proof[1].merkleProof = Array.from({ length: 17 }, (_, index) => `0x${String(index).padStart(64, "0")}`);
    const perCredential = Buffer.byteLength(JSON.stringify(file, null, 2));
    expect(perCredential).toBeGreaterThan(8_000);
    const thousand = Buffer.byteLength(JSON.stringify({ credentials: Array.from({ length: MAX_VERIFY_BATCH }, () => file) }, null, 2));
    expect(thousand).toBeGreaterThan(8 * 1024 * 1024); // the old limit: 1,000 format 2 credentials did not fit
    expect(LIMIT).toBeGreaterThanOrEqual(1.4 * thousand);
  });

  it("behavior: 1,000 real credentials in one body, padded to exactly the limit, are all verified", async () => {
    const response = await post(bodyOfSize(LIMIT));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { summary: { total: number; valid: number; invalid: number; error: number } };
    // The helper's batch has credential 1 revoked.
    expect(answer.summary).toEqual({ total: 1000, valid: 999, invalid: 1, error: 0 });
  });

  it("error: one byte over the limit is 413 BodyTooLarge, in the error shape, naming the limit", async () => {
    const response = await post(bodyOfSize(LIMIT + 1));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: "BodyTooLarge", message: "The body is larger than the server accepts.", details: [{ limit: LIMIT }] } });
    // The server keeps serving.
    expect((await post(JSON.stringify(files[0]))).status).toBe(200);
  });
});
