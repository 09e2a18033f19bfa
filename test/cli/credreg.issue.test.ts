import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkInclusion } from "../../src/batch/checkInclusion.ts";
import { checkInclusionV2 } from "../../src/batch/checkInclusionV2.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { readCredentialStatuses } from "../../src/chain/readCredentialStatus.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { unbakeBadge } from "../../src/credential/v2/badge/unbakeBadge.ts";
import { validateAnchoredCredential } from "../../src/credential/validateAnchoredCredential.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";
import { runCli } from "../helpers/runCli.ts";

// Hardhat's development accounts #0 (governance) and #2 (issuer): funded on a local node only.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
const ISSUER = new Wallet(ISSUER_KEY).address;
const EXAMPLES = path.resolve("examples");

let node: LocalNode;
let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-cli-"));
  env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments") };
  const deployed = await runCli(["deploy", "--json"], { cwd: work, env: { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY } });
  expect(deployed.code, deployed.stderr).toBe(0);
  const accredited = await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer", "--json"], {
    cwd: work,
    env: { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY },
  });
  expect(accredited.code, accredited.stderr).toBe(0);
});

afterAll(async () => {
  await node?.stop();
});

/** A fresh store and output folder for one scenario. */
async function scenario(name: string) {
  const dir = await mkdtemp(path.join(work, `${name}-`));
  return { dir, env: { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY, CREDREG_STORE: path.join(dir, "issuer.sqlite") }, out: path.join(dir, "out") };
}

/** Both formats: 2 (the default, no flag: signed OB 3.0) and 1 (`--format-version 1`). */
const FORMATS = ["2", "1"] as const;
let version: (typeof FORMATS)[number] = "2";
const issueArgs = (out: string, ...extra: string[]) => ["issue", "--input", path.join(EXAMPLES, "recipients.csv"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", out, "--json", ...(version === "1" ? ["--format-version", "1"] : []), ...extra];

/** A file's anchor proof (v2: the second proof), its inclusion, its validity: whatever its format. */
const anchorProofOf = (credential: any): Credential["proof"] => (Array.isArray(credential.proof) ? credential.proof[1] : credential.proof);
const inclusionOf = (credential: any) => (Array.isArray(credential.proof) ? checkInclusionV2(credential) : checkInclusion(credential));

async function filesOf(out: string, { partial = false } = {}): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(path.join(out, "credentials"))) {
    // A crash can leave a write's temporary file behind: never a credential file; the rerun removes it.
    if (partial && name.endsWith(".tmp")) continue;
    files.set(name, await readFile(path.join(out, "credentials", name), "utf8"));
  }
  if (!partial) files.set("batch.jsonl", await readFile(path.join(out, "batch.jsonl"), "utf8"));
  return files;
}

async function anchorLogs(root: string) {
  const { provider } = await connectRpc(node.url);
  const deployment = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")) as { address: string };
  const registry = registryContract(deployment.address, provider);
  const logs = await registry.queryFilter(registry.filters.BatchAnchored!(ISSUER, root), 0);
  const nonce = await provider.getTransactionCount(ISSUER);
  return { logs, nonce, registry, provider };
}

describe.each(FORMATS)("credreg issue (format %s)", (format) => {
  beforeAll(() => {
    version = format;
  });

  it("default: issues the example CSV: one anchor, one valid credential file per row, a batch file; --json documents it", async () => {
    const { env: runEnv, out, dir } = await scenario("plain");
    const run = await runCli(issueArgs(out), { cwd: dir, env: runEnv });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ status: "issued", leafCount: 12, issuer: ISSUER, chainId: "31337", credentialFiles: 12, rejectedRows: 0 });
    const files = await filesOf(out);
    const stems = Array.from({ length: 12 }, (_, row) => `credential-${String(row + 2).padStart(6, "0")}`);
    // Format 2 writes each credential twice: its JSON file, and baked into the badge (the generated SVG by default).
    expect([...files.keys()].filter((name) => name.startsWith("credential-")).sort()).toEqual(stems.flatMap((stem) => (format === "2" ? [`${stem}.json`, `${stem}.svg`] : [`${stem}.json`])));
    for (const stem of format === "2" ? stems : []) expect(unbakeBadge(files.get(`${stem}.svg`)!), `${stem}.svg bakes ${stem}.json`).toBe(files.get(`${stem}.json`));
    const credentials = [...files].filter(([name]) => name.startsWith("credential-") && name.endsWith(".json")).map(([, text]) => JSON.parse(text) as any);
    expect(credentials.every((credential) => Array.isArray(credential.proof) === (format === "2")), "the format asked for").toBe(true);
    expect(run.json.formatVersion).toBe(Number(format));
    const { logs, registry, provider } = await anchorLogs(run.json.root);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.transactionHash).toBe(run.json.transactionHash);
    const statuses = await readCredentialStatuses(
      registry,
      credentials.map((credential) => ({ issuer: ISSUER, root: anchorProofOf(credential).merkleRoot, index: anchorProofOf(credential).leafIndex, credentialHash: inclusionOf(credential).credentialHash, proof: anchorProofOf(credential).merkleProof })),
    );
    credentials.forEach((credential, position) => {
      expect(validateAnchoredCredential(credential).ok).toBe(true);
      expect(inclusionOf(credential).included).toBe(true);
      expect(statuses[position]!.proofValid).toBe(true);
    });
    // The row in line 6 of the CSV ("Dijkstra, Edsger W.", quoted) became credential-000006.json.
    const dijkstra = JSON.parse(files.get("credential-000006.json")!) as Credential;
    expect(dijkstra.credentialSubject.identifier[0]?.identityHash).toBe("Dijkstra, Edsger W.");
    expect(dijkstra.credentialSubject.result?.[0]?.value).toBe("C");
    provider.destroy();
  });

  for (const point of ["before-send", "after-send", "after-receipt", "during-files"] as const) {
    it(`behavior: killed ${point}, the rerun finishes the same batch, anchors once, and writes the same files`, async () => {
      const { env: runEnv, out, dir } = await scenario(point);
      const crashed = await runCli(issueArgs(out), { cwd: dir, env: { ...runEnv, CREDREG_TEST_CRASH_AT: point } });
      expect(crashed.signal).toBe("SIGKILL");
      const store = IssuerStore.open(runEnv.CREDREG_STORE);
      const [before] = store.listBatches("31337", JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address, ISSUER);
      store.close();
      expect(before, "the batch was committed before anything was sent").toBeDefined();
      const partial = point === "during-files" ? await filesOf(out, { partial: true }) : new Map<string, string>();
      if (point === "during-files") expect(partial.size, "some files were written before the crash").toBeGreaterThan(3);
      const { nonce: nonceAfterCrash } = await anchorLogs(before!.root);

      // Temporary files of crashed writers (a process id that no longer runs) beside the batch file and the credentials.
      const stale = [path.join(out, "batch.jsonl.999999999.tmp"), path.join(out, "credentials", "credential-000001.json.999999999.tmp")];
      await mkdir(path.join(out, "credentials"), { recursive: true });
      for (const file of stale) await writeFile(file, "half");
      const rerun = await runCli(issueArgs(out), { cwd: dir, env: runEnv });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.json.status).toBe("resumed");
      expect((await readdir(out)).filter((name) => name.endsWith(".tmp")), "no temporary file left in the out folder").toEqual([]);
      for (const file of stale) await expect(readFile(file), `${file} removed`).rejects.toMatchObject({ code: "ENOENT" });
      expect(rerun.json.root).toBe(before!.root);
      const afterRerun = await anchorLogs(before!.root);
      expect(afterRerun.logs, "exactly one anchor on chain").toHaveLength(1);
      expect(afterRerun.nonce - nonceAfterCrash).toBe(point === "before-send" ? 1 : 0);
      const files = await filesOf(out);
      expect(files.size).toBe(format === "2" ? 25 : 13);
      for (const [name, text] of partial) if (name.startsWith("credential-")) expect(files.get(name), `${name} rewritten identically`).toBe(text);
      for (const [name, text] of files) {
        if (name.endsWith(".svg")) expect(unbakeBadge(text), `${name} bakes its JSON file`).toBe(files.get(name.replace(/\.svg$/, ".json")));
        if (!name.startsWith("credential-") || !name.endsWith(".json")) continue;
        const credential = JSON.parse(text) as unknown;
        expect(inclusionOf(credential).included, name).toBe(true);
        expect(anchorProofOf(credential).anchor.transactionHash).toBe(afterRerun.logs[0]!.transactionHash);
      }

      const third = await runCli(issueArgs(out), { cwd: dir, env: runEnv });
      expect(third.json.status).toBe("already-issued");
      expect((await anchorLogs(before!.root)).nonce).toBe(afterRerun.nonce);
      expect(await filesOf(out)).toEqual(files);
      afterRerun.provider.destroy();
    });
  }

  it("behavior: two issue processes started at once with the same input and key anchor once; both exit 0, the second finds the same batch", async () => {
    const { env: runEnv, out, dir } = await scenario("concurrent");
    const { provider } = await connectRpc(node.url);
    const startBlock = await provider.getBlockNumber();
    const nonceBefore = await provider.getTransactionCount(ISSUER);
    const runs = await Promise.all([runCli(issueArgs(out), { cwd: dir, env: runEnv }), runCli(issueArgs(out), { cwd: dir, env: runEnv })]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).not.toMatch(/nonce/i);
    }
    expect(runs.map((run) => run.json.status).sort()).toEqual(["already-issued", "issued"]);
    expect(runs[1]!.json.root).toBe(runs[0]!.json.root);
    expect(runs[1]!.json.transactionHash).toBe(runs[0]!.json.transactionHash);
    // Exactly one BatchAnchored event of this issuer since the two started, and one transaction of its account.
    const deployment = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")) as { address: string };
    const registry = registryContract(deployment.address, provider);
    const anchored = await registry.queryFilter(registry.filters.BatchAnchored!(ISSUER), startBlock + 1);
    expect(anchored.map((log) => registry.interface.parseLog(log)?.args.root)).toEqual([runs[0]!.json.root]);
    expect(await provider.getTransactionCount(ISSUER)).toBe(nonceBefore + 1);
    // The lock is released: no lock file is left beside the store.
    expect((await readdir(dir)).filter((name) => name.endsWith(".lock"))).toEqual([]);
    provider.destroy();
  });

  it("error: invalid rows are all reported with their lines, exit 1, nothing anchored; --skip-invalid issues the rest", async () => {
    const { env: runEnv, out, dir } = await scenario("invalid");
    const csv = path.join(dir, "recipients.csv");
    await writeFile(csv, ["name,email,creditsEarned", "Ada Lovelace,ada@example.org,5", ",,", "Bad Mail,not-an-email,5", "Negative,neg@example.org,-3", "Fine Person,fine@example.org,"].join("\n"));
    const args = ["issue", "--input", csv, "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", out, "--json"];
    const rejected = await runCli(args, { cwd: dir, env: runEnv });
    expect(rejected.code).toBe(1);
    expect(rejected.json.error.message).toBe(`3 of 5 rows of ${csv} are not valid; nothing was anchored.`);
    expect(rejected.json.error.details.slice(0, 3)).toEqual(["line 3: needs a name and/or an email", "line 4: email: must be an e-mail address", "line 5: creditsEarned: must not be negative"]);
    const skipped = await runCli([...args, "--skip-invalid"], { cwd: dir, env: runEnv });
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(skipped.json).toMatchObject({ status: "issued", leafCount: 2, rejectedRows: 3 });
    const rejectedFile = JSON.parse(await readFile(skipped.json.rejectedFile, "utf8")) as { where: string }[];
    expect(rejectedFile.map((row) => row.where)).toEqual(["line 3", "line 4", "line 5"]);
  });

  it("error: chain-side failures exit 2 with what to do, and leave the store consistent", async () => {
    const { env: runEnv, out, dir } = await scenario("failures");
    const cases: [Record<string, string>, RegExp][] = [
      [{ CREDREG_RPC_URL: "http://127.0.0.1:9" }, /Could not reach the JSON-RPC endpoint at http:\/\/127\.0\.0\.1:9/],
      [{ CREDREG_CHAIN_ID: "1" }, /serves chain 31337, not the configured chain 1/],
      [{ CREDREG_REGISTRY: "0x000000000000000000000000000000000000dEaD" }, /There is no contract at 0x000000000000000000000000000000000000dEaD on chain 31337/],
      [{ CREDREG_PRIVATE_KEY: Wallet.createRandom().privateKey }, /is not an accredited issuer of the registry/],
      [{ CREDREG_PRIVATE_KEY: "" }, /The signer is not configured/],
    ];
    for (const [override, message] of cases) {
      const run = await runCli(issueArgs(out), { cwd: dir, env: { ...runEnv, ...override } });
      expect(run.code, `${JSON.stringify(override)}: ${run.stderr}`).toBe(override.CREDREG_PRIVATE_KEY === "" ? 1 : 2);
      expect(run.json.error.message).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    // An accredited issuer without funds: refused before anything is sent; the rerun with funds finishes the batch.
    const poor = Wallet.createRandom();
    const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
    expect((await runCli(["accredit", poor.address, "--name", "Poor College", "--profile-id", "https://poor.example/issuer"], { cwd: dir, env: governor })).code).toBe(0);
    const broke = await runCli(issueArgs(out), { cwd: dir, env: { ...runEnv, CREDREG_PRIVATE_KEY: poor.privateKey } });
    expect(broke.code).toBe(2);
    // Format 2 binds the new issuer's signing key first: that is the first transaction it cannot pay for.
    expect(broke.json.error.message).toMatch(format === "2" ? /cannot pay for the add-signing-key transaction/ : /cannot pay for the anchor transaction/);
    const { provider } = await connectRpc(node.url);
    const funder = new Wallet(GOVERNOR_KEY, provider);
    await (await funder.sendTransaction({ to: poor.address, value: 10n ** 18n })).wait();
    provider.destroy();
    const funded = await runCli(issueArgs(out), { cwd: dir, env: { ...runEnv, CREDREG_PRIVATE_KEY: poor.privateKey } });
    expect(funded.code, funded.stderr).toBe(0);
    // v1 committed its batch before the refused anchor (resumed); v2 stopped before building it (issued afresh).
    expect(funded.json.status).toBe(format === "2" ? "issued" : "resumed");
  });
});
