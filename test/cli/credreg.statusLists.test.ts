import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import { Wallet } from "ethers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { packagedDocumentLoader } from "../../src/credential/v2/packagedDocumentLoader.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { runCli } from "../helpers/runCli.ts";

// Format 2 status lists: written by credreg issue and after every status change, from the chain; what a wallet checks
// with the published libraries; served by credreg serve.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"; // dev account #8
const ISSUER = new Wallet(ISSUER_KEY).address;
const EXAMPLES = path.resolve("examples");

let node: LocalNode;
let work: string;
let issuerEnv: Record<string, string>;
let credentials: string;
let statusDir: string;
let files: Record<string, unknown>[];
let listUrl: string;
let registry: string;

const suite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

/** What a wallet decides for each credential, with the list file as the document at its URL: the revocation bits. */
async function walletVerdicts(list: object): Promise<boolean[]> {
  const documentLoader = async (url: string) => (url === listUrl ? { contextUrl: null, documentUrl: url, document: list } : packagedDocumentLoader(url));
  const verdicts: boolean[] = [];
  for (const credential of files) {
    const result = (await vc.verifyCredential({ credential, suite: suite(), documentLoader, checkStatus: (options: object) => checkStatus({ ...(options as { credential: object }), documentLoader, suite: suite() }) })) as {
      verified: boolean;
      statusResult?: { verified: boolean; results: { status: boolean }[] };
    };
    expect(result.statusResult?.verified, JSON.stringify(result.statusResult)).toBe(true);
    verdicts.push(result.statusResult!.results[0]!.status);
  }
  return verdicts;
}

const listFile = () => path.join(statusDir, listUrl.split("/").at(-1)!);
const readList = async () => JSON.parse(await readFile(listFile(), "utf8")) as Record<string, unknown>;
const cli = (...args: string[]) => runCli([...args, "--json"], { cwd: work, env: issuerEnv });

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-status-lists-"));
  const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments") };
  const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  expect((await runCli(["deploy"], { cwd: work, env: governor })).code).toBe(0);
  expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: work, env: governor })).code).toBe(0);
  registry = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address;
  issuerEnv = { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY, CREDREG_STORE: path.join(work, "store", "issuer.sqlite") };
  statusDir = path.join(work, "store", "status");
  const issued = await cli("issue", "--input", path.join(EXAMPLES, "recipients.csv"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(work, "out"));
  expect(issued.code, issued.stderr).toBe(0);
  credentials = path.join(work, "out", "credentials");
  const names = (await readdir(credentials)).filter((name) => name.endsWith(".json")).sort();
  files = await Promise.all(names.map(async (name) => JSON.parse(await readFile(path.join(credentials, name), "utf8")) as Record<string, unknown>));
  listUrl = (files[0]!.credentialStatus as { statusListCredential: string }).statusListCredential;
  expect(issued.json.statusListFile).toBe(listFile());
});

afterAll(async () => {
  await node?.stop();
});

describe("status list credentials", () => {
  it("default: issue writes the batch's list beside the store; a wallet finds every credential not revoked", async () => {
    expect(listUrl).toMatch(/^https:\/\/demo-university\.example\/issuer\/credreg\/status\/[0-9a-f-]{36}$/);
    const list = await readList();
    expect(list).toMatchObject({ id: listUrl, type: ["VerifiableCredential", "BitstringStatusListCredential"], credentialSubject: { statusPurpose: "revocation" } });
    expect((list.issuer as { id: string }).id, "the credential's own issuer (wallets require it)").toBe((files[0]!.issuer as { id: string }).id);
    expect(await walletVerdicts(list)).toEqual(files.map(() => false));
  });

  it("behavior: revoke rewrites the list with that bit set; suspend leaves it (suspension is chain-only); revoke-batch sets every bit", async () => {
    const revoked = await cli("revoke", path.join(credentials, "credential-000003.json"), "--reason", "Misconduct");
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json.statusLists).toMatchObject([{ file: listFile(), url: listUrl, revoked: 1 }]);
    expect(await walletVerdicts(await readList())).toEqual(files.map((_, position) => position === 1));

    const before = await readFile(listFile(), "utf8");
    const suspended = await cli("suspend", path.join(credentials, "credential-000004.json"), "--reason", "Unspecified");
    expect(suspended.code, suspended.stderr).toBe(0);
    expect(await walletVerdicts(await readList())).toEqual(files.map((_, position) => position === 1));
    expect(JSON.parse(await readFile(listFile(), "utf8")).credentialSubject).toEqual(JSON.parse(before).credentialSubject);

    // A crash after the transaction and before the list: status-lists rewrites it from the chain.
    await writeFile(listFile(), before.replace(/"encodedList": "[^"]+"/, '"encodedList": "stale"'));
    const rewritten = await cli("status-lists");
    expect(rewritten.code, rewritten.stderr).toBe(0);
    expect(await walletVerdicts(await readList())).toEqual(files.map((_, position) => position === 1));

    const root = (files[0]!.proof as { merkleRoot?: string }[])[1]!.merkleRoot!;
    const batch = await cli("revoke-batch", root, "--reason", "Superseded");
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.json.statusLists).toMatchObject([{ revoked: files.length }]);
    expect(await walletVerdicts(await readList())).toEqual(files.map(() => true));
  });

  it("behavior: credreg serve serves each list at any path ending in /status/<name>, cross-origin readable; nothing else", async () => {
    const config = resolveConfig({ "rpc-url": node.url, registry, store: path.join(work, "serve.sqlite") }, {}, work);
    const server: RunningServer = await startServer({ chain: await openChain(config), store: config.store, confirmations: 1, logger: pino({ level: "silent" }), port: 0, app: { statusDir } });
    try {
      const name = listUrl.split("/").at(-1)!;
      for (const prefix of ["/status/", "/issuer/credreg/status/"]) {
        const response = await fetch(`${server.url}${prefix}${name}`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^application\/vc/);
        expect(response.headers.get("access-control-allow-origin")).toBe("*");
        expect(await response.text()).toBe(await readFile(listFile(), "utf8"));
      }
      await writeFile(path.join(work, "secret.txt"), "not a list");
      for (const probe of ["/status/unknown-list", "/status/..%2Fsecret.txt", "/status/%2E%2E%2Fsecret.txt", "/status/.hidden"]) {
        const response = await fetch(`${server.url}${probe}`);
        expect(response.status, probe).toBe(404);
        expect(await response.text()).not.toContain("not a list");
      }
    } finally {
      await server.close();
    }
  });
});
