import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type EventLog, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { STATUS_CHUNK_SIZE } from "../../src/issuer/changeStatuses.ts";
import { runCli } from "../helpers/runCli.ts";

// These scenarios exercise format 1 files (--format-version 1); format 2 is covered by credreg.issue and readme tests.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"; // dev account #3
const ISSUER = new Wallet(ISSUER_KEY).address;
const GOVERNOR = new Wallet(GOVERNOR_KEY).address;
const EXAMPLES = path.resolve("examples");

let node: LocalNode;
let work: string;
let issuerEnv: Record<string, string>;
let governorEnv: Record<string, string>;
let root: string;
let files: string[];

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-status-"));
  const base = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_STORE: path.join(work, "issuer.sqlite") };
  governorEnv = { ...base, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  issuerEnv = { ...base, CREDREG_PRIVATE_KEY: ISSUER_KEY };
  expect((await runCli(["deploy"], { cwd: work, env: governorEnv })).code).toBe(0);
  expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: work, env: governorEnv })).code).toBe(0);
  const issued = await runCli(["issue", "--format-version", "1", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(work, "out"), "--json"], { cwd: work, env: issuerEnv });
  expect(issued.code, issued.stderr).toBe(0);
  root = issued.json.root;
  files = (await readdir(path.join(work, "out", "credentials"))).sort().map((name) => path.join(work, "out", "credentials", name));
});

afterAll(async () => {
  await node?.stop();
});

const leafOf = async (file: string) => (JSON.parse(await (await import("node:fs/promises")).readFile(file, "utf8")) as { proof: { leafIndex: number } }).proof.leafIndex;

describe("credreg revoke, suspend, reinstate, revoke-batch, batches, batch", () => {
  it("default: revokes by file, suspends and reinstates by index, and batch shows the counts", async () => {
    const revoked = await runCli(["revoke", files[0]!, files[1]!, "--reason", "Misconduct", "--json"], { cwd: work, env: issuerEnv });
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json).toMatchObject({ action: "revoke", reason: 3, reasonName: "Misconduct" });
    expect(revoked.json.transactions).toHaveLength(1);
    expect([...revoked.json.transactions[0].indices].sort()).toEqual([await leafOf(files[0]!), await leafOf(files[1]!)].sort());
    const free = [0, 1, 2, 3, 4, 5].filter((index) => !revoked.json.transactions[0].indices.includes(index));
    const suspended = await runCli(["suspend", "--batch", root, "--index", `${free[0]},${free[1]}`, "--reason", "8", "--json"], { cwd: work, env: issuerEnv });
    expect(suspended.code, suspended.stderr).toBe(0);
    const reinstated = await runCli(["reinstate", "--batch", root, "--index", String(free[0]), "--reason", "review-completed", "--json"], { cwd: work, env: issuerEnv });
    expect(reinstated.code, reinstated.stderr).toBe(0);
    expect(reinstated.json.reasonName).toBe("ReviewCompleted");
    const batch = await runCli(["batch", root, "--json"], { cwd: work, env: issuerEnv });
    expect(batch.json).toMatchObject({ root, leafCount: 6, anchored: true, revoked: 2, suspended: 1, batchRevoked: false, localState: "written" });
    const batches = await runCli(["batches", "--json", "--issuer", ISSUER], { cwd: work, env: { ...issuerEnv, CREDREG_PRIVATE_KEY: "" } });
    expect(batches.json.batches.map((entry: { root: string }) => entry.root)).toEqual([root]);
  });

  it("error: what the registry refuses is explained, exit 1; wrong issuer, unknown reason and bad flags too", async () => {
    const again = await runCli(["revoke", files[0]!, "--reason", "Misconduct", "--json"], { cwd: work, env: issuerEnv });
    expect(again.code).toBe(1);
    expect(again.json.error.message).toMatch(/^The registry rejected the transaction: credential \d+ of batch 0x[0-9a-f]{64} is already revoked \(final\)\.$/);
    const outOfRange = await runCli(["suspend", "--batch", root, "--index", "6", "--reason", "8", "--json"], { cwd: work, env: issuerEnv });
    expect(outOfRange.json.error.message).toMatch(/index 6 is outside batch .* which holds 6 credentials \(0 to 5\)/);
    const unknownReason = await runCli(["revoke", files[2]!, "--reason", "Boredom", "--json"], { cwd: work, env: issuerEnv });
    expect(unknownReason.code).toBe(1);
    expect(unknownReason.json.error.message).toBe("--reason Boredom is not a known reason.");
    const otherIssuer = await runCli(["revoke", files[2]!, "--reason", "1", "--json"], { cwd: work, env: governorEnv });
    expect(otherIssuer.code).toBe(1);
    expect(otherIssuer.json.error.message).toMatch(/was issued by 0x[0-9a-fA-F]{40}, not by the signer 0xf39F/);
    const notAFile = path.join(work, "not-a-credential.json");
    await writeFile(notAFile, JSON.stringify({ hello: "world" }));
    const invalid = await runCli(["revoke", notAFile, "--reason", "1", "--json"], { cwd: work, env: issuerEnv });
    expect(invalid.code).toBe(1);
    expect(invalid.json.error.message).toBe(`${notAFile} is not a valid credential file.`);
    const badFlag = await runCli(["revoke", "--batch", root, "--index", "1,x", "--reason", "1", "--json"], { cwd: work, env: issuerEnv });
    expect(badFlag.json.error.message).toBe('--index: "x" is not a leaf index.');
    const unknownOption = await runCli(["revoke", "--frobnicate", "--json"], { cwd: work, env: issuerEnv });
    expect(unknownOption.code).toBe(1);
  });

  it("behavior: revoke-batch is final and shows in batch", async () => {
    const revoked = await runCli(["revoke-batch", root, "--reason", "Superseded", "--json"], { cwd: work, env: issuerEnv });
    expect(revoked.code, revoked.stderr).toBe(0);
    const batch = await runCli(["batch", root, "--json"], { cwd: work, env: issuerEnv });
    expect(batch.json).toMatchObject({ batchRevoked: true, batchRevocationReason: "Superseded" });
    const again = await runCli(["revoke-batch", root, "--reason", "Superseded", "--json"], { cwd: work, env: issuerEnv });
    expect(again.code).toBe(1);
    expect(again.json.error.message).toMatch(/was revoked at .* and can no longer change/);
  });

  it("behavior: deactivate stops the issuer; its commands then exit 2 saying why, and an accreditor acts for it with --for", async () => {
    // Its own registry, issuer and batch on the node: this test depends on no other test's state, in any order.
    const own = await mkdtemp(path.join(tmpdir(), "credreg-status-for-"));
    const base = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(own, "deployments"), CREDREG_STORE: path.join(own, "issuer.sqlite") };
    const governor = { ...base, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
    const issuer = { ...base, CREDREG_PRIVATE_KEY: ISSUER_KEY };
    const deployed = await runCli(["deploy", "--json"], { cwd: own, env: governor });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: own, env: governor })).code).toBe(0);
    const issued = await runCli(["issue", "--format-version", "1", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(own, "out"), "--json"], { cwd: own, env: issuer });
    expect(issued.code, issued.stderr).toBe(0);
    const ownRoot: string = issued.json.root;
    const ownFiles = (await readdir(path.join(own, "out", "credentials"))).sort().map((name) => path.join(own, "out", "credentials", name));
    const target = ownFiles[4]!;

    const deactivated = await runCli(["deactivate", ISSUER, "--reason", "KeyCompromise", "--json"], { cwd: own, env: governor });
    expect(deactivated.code, deactivated.stderr).toBe(0);
    const refused = await runCli(["issue", "--format-version", "1", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(own, "out2"), "--json", "--new-batch"], { cwd: own, env: issuer });
    expect(refused.code).toBe(2);
    expect(refused.json.error.message).toMatch(/was deactivated as an issuer at/);
    // From then on an accreditor acts for it (--for); the issuer's own key cannot.
    const byIssuer = await runCli(["suspend", target, "--reason", "8", "--json"], { cwd: own, env: issuer });
    expect(byIssuer.code).toBe(2);
    expect(byIssuer.json.error.message).toMatch(new RegExp(`^The registry rejected the transaction: ${ISSUER} was deactivated at \\S+; it can no longer anchor or change statuses\\.$`));
    const withoutFor = await runCli(["suspend", target, "--reason", "8", "--json"], { cwd: own, env: governor });
    expect(withoutFor.code).toBe(1);
    expect(withoutFor.json.error.message).toMatch(/not by the signer/);
    const byAccreditor = await runCli(["suspend", target, "--reason", "8", "--for", ISSUER, "--json"], { cwd: own, env: governor });
    expect(byAccreditor.code, byAccreditor.stderr).toBe(0);
    expect(byAccreditor.json).toMatchObject({ action: "suspend", reason: 8, reasonName: "UnderInvestigation" });
    expect(byAccreditor.json.transactions.map((transaction: { indices: number[] }) => transaction.indices)).toEqual([[await leafOf(target)]]);
    const batch = await runCli(["batch", ownRoot, "--json", "--issuer", ISSUER], { cwd: own, env: { ...governor, CREDREG_PRIVATE_KEY: "" } });
    expect(batch.json).toMatchObject({ root: ownRoot, leafCount: 6, anchored: true, revoked: 0, suspended: 1, batchRevoked: false });
    // The auditor sees the intervention as the accreditor's, allowed after the deactivation.
    const audit = await runCli(["audit", "report", ISSUER, "--json"], { cwd: own, env: issuer });
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.json.report).toMatchObject({ consistent: true, foreignChanges: [], changesAfterDeactivation: [] });
    expect(audit.json.report.accreditorInterventions.map((entry: { event: string; leafIndex: number; actor: string }) => [entry.event, entry.leafIndex, entry.actor])).toEqual([
      ["CredentialSuspended", await leafOf(target), GOVERNOR.toLowerCase()],
    ]);
  });

  it("behavior: a revoke of 1,200 credentials killed between chunks resumes: the rerun sends only the rest, every credential is revoked once", async () => {
    // Its own registry, issuer and batch of 1,200: this test depends on no other test's state, in any order.
    const own = await mkdtemp(path.join(tmpdir(), "credreg-status-resume-"));
    const base = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(own, "deployments"), CREDREG_STORE: path.join(own, "issuer.sqlite") };
    const governor = { ...base, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
    const issuer = { ...base, CREDREG_PRIVATE_KEY: ISSUER_KEY };
    const deployed = await runCli(["deploy", "--json"], { cwd: own, env: governor });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: own, env: governor })).code).toBe(0);
    const recipients = path.join(own, "recipients.json");
    await writeFile(recipients, JSON.stringify(Array.from({ length: 1200 }, (_, n) => ({ name: `Learner ${n}`, email: `learner${n}@example.org` }))));
    const issued = await runCli(["issue", "--format-version", "1", "--input", recipients, "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(own, "out"), "--format", "ndjson", "--json"], { cwd: own, env: issuer });
    expect(issued.code, issued.stderr).toBe(0);
    const ownRoot: string = issued.json.root;
    const all = Array.from({ length: 1200 }, (_, index) => index);
    const revoke = ["revoke", "--batch", ownRoot, "--index", all.join(","), "--reason", "Misconduct", "--json"];
    const { provider } = await connectRpc(node.url);
    const registry = registryContract(deployed.json.address, provider);
    const revokedIndices = async () => (await registry.queryFilter(registry.filters.CredentialRevoked!(ISSUER, ownRoot), 0)).map((log) => Number((log as EventLog).args.index));

    const crashed = await runCli(revoke, { cwd: own, env: { ...issuer, CREDREG_TEST_CRASH_AT: "between-status-chunks" } });
    expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
    expect((await revokedIndices()).sort((a, b) => a - b), "the first chunk made it before the crash").toEqual(all.slice(0, STATUS_CHUNK_SIZE));

    const rerun = await runCli(revoke, { cwd: own, env: issuer });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json.alreadyDone).toEqual([{ root: ownRoot, indices: all.slice(0, STATUS_CHUNK_SIZE) }]);
    expect(rerun.json.transactions.map((transaction: { indices: number[] }) => transaction.indices)).toEqual([all.slice(500, 1000), all.slice(1000, 1200)]);
    const events = await revokedIndices();
    expect(events, "exactly one CredentialRevoked per credential").toHaveLength(1200);
    expect(events.sort((a, b) => a - b)).toEqual(all);
    const text = await runCli(revoke.filter((arg) => arg !== "--json"), { cwd: own, env: issuer });
    expect(text.code, "nothing left to do: the registry's refusal, as for any repeated revocation").toBe(1);
    expect(text.stderr).toMatch(/credential 0 of batch 0x[0-9a-f]{64} is already revoked \(final\)/);
    const batch = await runCli(["batch", ownRoot, "--json"], { cwd: own, env: issuer });
    expect(batch.json).toMatchObject({ leafCount: 1200, revoked: 1200, suspended: 0 });
    provider.destroy();
  }, 120_000);

  it("behavior: a suspension whose chunk failed resumes: indices already suspended are skipped and reported", async () => {
    const own = await mkdtemp(path.join(tmpdir(), "credreg-status-partial-"));
    const base = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(own, "deployments"), CREDREG_STORE: path.join(own, "issuer.sqlite") };
    const governor = { ...base, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
    const issuer = { ...base, CREDREG_PRIVATE_KEY: ISSUER_KEY };
    expect((await runCli(["deploy"], { cwd: own, env: governor })).code).toBe(0);
    expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: own, env: governor })).code).toBe(0);
    const issued = await runCli(["issue", "--format-version", "1", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(own, "out"), "--json"], { cwd: own, env: issuer });
    expect(issued.code, issued.stderr).toBe(0);
    const ownRoot: string = issued.json.root;
    // A first run that failed part-way: 1 and 3 are suspended, the rest was never sent.
    expect((await runCli(["suspend", "--batch", ownRoot, "--index", "1,3", "--reason", "8"], { cwd: own, env: issuer })).code).toBe(0);
    const rerun = await runCli(["suspend", "--batch", ownRoot, "--index", "0,1,2,3,4", "--reason", "8", "--json"], { cwd: own, env: issuer });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json.alreadyDone).toEqual([{ root: ownRoot, indices: [1, 3] }]);
    expect(rerun.json.transactions.map((transaction: { indices: number[] }) => transaction.indices)).toEqual([[0, 2, 4]]);
    const reinstated = await runCli(["reinstate", "--batch", ownRoot, "--index", "0,1,2", "--reason", "review-completed"], { cwd: own, env: issuer });
    expect(reinstated.code, reinstated.stderr).toBe(0);
    const rerunReinstate = await runCli(["reinstate", "--batch", ownRoot, "--index", "0,1,2,3,4", "--reason", "review-completed"], { cwd: own, env: issuer });
    expect(rerunReinstate.code, rerunReinstate.stderr).toBe(0);
    expect(rerunReinstate.stdout).toContain(`Skipped 3 credentials of batch ${ownRoot} already reinstated (an earlier run did them).`);
    expect(rerunReinstate.stdout).toContain(`Reinstated 2 credentials of batch ${ownRoot} (ReviewCompleted)`);
    const batch = await runCli(["batch", ownRoot, "--json"], { cwd: own, env: issuer });
    expect(batch.json).toMatchObject({ revoked: 0, suspended: 0 });
  });

  it("behavior: killed after sending a chunk that is not mined yet, the rerun waits for it instead of sending those indices again", async () => {
    const own = await mkdtemp(path.join(tmpdir(), "credreg-status-pending-"));
    const base = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(own, "deployments"), CREDREG_STORE: path.join(own, "issuer.sqlite") };
    const governor = { ...base, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
    const issuer = { ...base, CREDREG_PRIVATE_KEY: ISSUER_KEY };
    const deployed = await runCli(["deploy", "--json"], { cwd: own, env: governor });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: own, env: governor })).code).toBe(0);
    const issued = await runCli(["issue", "--format-version", "1", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(own, "out"), "--json"], { cwd: own, env: issuer });
    expect(issued.code, issued.stderr).toBe(0);
    const ownRoot: string = issued.json.root;
    const { provider } = await connectRpc(node.url);
    const registry = registryContract(deployed.json.address, provider);
    // Blocks every 4 s instead of one per transaction: the crashed run's transaction waits in the mempool.
    await provider.send("evm_setAutomine", [false]);
    await provider.send("evm_setIntervalMining", [4000]);
    try {
      const crashed = await runCli(["suspend", "--batch", ownRoot, "--index", "0,1", "--reason", "8"], { cwd: own, env: { ...issuer, CREDREG_TEST_CRASH_AT: "after-send" } });
      expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
      const rerun = await runCli(["suspend", "--batch", ownRoot, "--index", "0,1,2", "--reason", "8", "--json"], { cwd: own, env: issuer });
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.json.alreadyDone).toEqual([{ root: ownRoot, indices: [0, 1] }]);
      expect(rerun.json.transactions.map((transaction: { indices: number[] }) => transaction.indices)).toEqual([[2]]);
    } finally {
      await provider.send("evm_setIntervalMining", [0]);
      await provider.send("evm_setAutomine", [true]);
    }
    const suspended = (await registry.queryFilter(registry.filters.CredentialSuspended!(ISSUER, ownRoot), 0)).map((log) => Number((log as EventLog).args.index));
    expect(suspended.sort()).toEqual([0, 1, 2]);
    provider.destroy();
  }, 60_000);
});
