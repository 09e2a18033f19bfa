import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

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
  const issued = await runCli(["issue", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(work, "out"), "--json"], { cwd: work, env: issuerEnv });
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
    const issued = await runCli(["issue", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(own, "out"), "--json"], { cwd: own, env: issuer });
    expect(issued.code, issued.stderr).toBe(0);
    const ownRoot: string = issued.json.root;
    const ownFiles = (await readdir(path.join(own, "out", "credentials"))).sort().map((name) => path.join(own, "out", "credentials", name));
    const target = ownFiles[4]!;

    const deactivated = await runCli(["deactivate", ISSUER, "--reason", "KeyCompromise", "--json"], { cwd: own, env: governor });
    expect(deactivated.code, deactivated.stderr).toBe(0);
    const refused = await runCli(["issue", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(own, "out2"), "--json", "--new-batch"], { cwd: own, env: issuer });
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
});
