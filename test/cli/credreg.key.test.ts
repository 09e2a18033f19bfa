import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { keyRegistryAddressOf } from "../../src/chain/keyRegistryAddressOf.ts";
import { keyRegistryInterface } from "../../src/chain/keyRegistryContract.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";
import { devWallet } from "../helpers/issuedBatchOnNode.ts";
import { runCli } from "../helpers/runCli.ts";

// Hardhat's development accounts: #0 deploys and accredits (ACCREDITOR_ROLE), #4 is the issuer. Funded on a local node only.
const GOVERNOR = devWallet(0);
const ISSUER = devWallet(4);
const EXAMPLES = path.resolve("examples");
const issuerLower = ISSUER.address.toLowerCase();

let node: LocalNode;

beforeAll(async () => {
  node = await startHardhatNode();
});

afterAll(async () => {
  await node?.stop();
});

/** Its own folder, store, registry and accredited issuer: no test depends on another's state, in any order. */
async function scenario(name: string) {
  const dir = await mkdtemp(path.join(tmpdir(), `credreg-key-${name}-`));
  const base = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(dir, "deployments"), CREDREG_STORE: path.join(dir, "issuer.sqlite") };
  const governor = { ...base, CREDREG_PRIVATE_KEY: GOVERNOR.privateKey };
  const issuer = { ...base, CREDREG_PRIVATE_KEY: ISSUER.privateKey };
  const deployed = await runCli(["deploy", "--json"], { cwd: dir, env: governor });
  expect(deployed.code, deployed.stderr).toBe(0);
  const accredited = await runCli(["accredit", ISSUER.address, "--name", "Key University", "--profile-id", "https://key-university.example/issuer"], { cwd: dir, env: governor });
  expect(accredited.code, accredited.stderr).toBe(0);
  let batches = 0;
  /** `credreg issue` of the example recipients: the first batch, then new batches of the same rows (--new-batch). */
  const issueArgs = (batch: number) => ["issue", "--input", path.join(EXAMPLES, "recipients.json"), "--achievement", path.join(EXAMPLES, "achievement.json"), "--out", path.join(dir, `out-${batch}`), "--json", ...(batch > 1 ? ["--new-batch"] : [])];
  const issue = async (extraEnv: Record<string, string> = {}) => {
    batches += 1;
    const run = await runCli(issueArgs(batches), { cwd: dir, env: { ...issuer, ...extraEnv } });
    return { run, out: path.join(dir, `out-${batches}`), args: issueArgs(batches) };
  };
  const cli = (args: string[], env = issuer) => runCli(args, { cwd: dir, env });
  return { dir, governor, issuer, registry: deployed.json.address as string, issue, cli };
}

type KeyEntry = { generation: number | null; did: string; key: string; state: string; addedAt: string | null; retiredAt: string | null; compromisedAt: string | null; revokedAt: string | null; reasonName: string | null };

describe("credreg key", () => {
  it("default: list shows each generation's record; retire makes the next issue bind the next generation; revoke records the compromise; the auditor's timeline shows every key event", async () => {
    const { issue, cli } = await scenario("default");
    const before = await cli(["key", "list", "--json"]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.json.inUse).toBeNull();
    expect(before.json.keys.map((entry: KeyEntry) => [entry.generation, entry.state])).toEqual([[1, "not-bound"]]);

    const first = await issue();
    expect(first.run.code, first.run.stderr).toBe(0);
    const listed = await cli(["key", "list", "--json"]);
    const [generation1, generation2] = listed.json.keys as KeyEntry[];
    expect(listed.json).toMatchObject({ source: "derived", inUse: 1, issuer: ISSUER.address });
    expect(generation1).toMatchObject({ generation: 1, state: "in-use", retiredAt: null, revokedAt: null });
    expect(generation1!.addedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(generation2).toMatchObject({ generation: 2, state: "not-bound", addedAt: null });
    expect(first.run.json.signingKey.did).toBe(generation1!.did);

    const retired = await cli(["key", "retire", "--json"]);
    expect(retired.code, retired.stderr).toBe(0);
    expect(retired.json).toMatchObject({ action: "retire", resumed: false, issuer: ISSUER.address, signingKey: { generation: 1, state: "retired", did: generation1!.did }, next: { generation: 2, did: generation2!.did, bound: false } });
    expect(retired.json.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);

    const second = await issue();
    expect(second.run.code, second.run.stderr).toBe(0);
    expect(second.run.json.signingKey.did, "the next issue signs with generation 2").toBe(generation2!.did);
    const afterRotation = await cli(["key", "list"]);
    expect(afterRotation.stdout).toMatch(new RegExp(`generation 1  retired  ${generation1!.did}  bound \\S+Z, retired \\S+Z`));
    expect(afterRotation.stdout).toMatch(new RegExp(`generation 2  in use  ${generation2!.did}  bound \\S+Z`));

    const bound2 = ((await cli(["key", "list", "--json"])).json.keys as KeyEntry[])[1]!;
    const revoked = await cli(["key", "revoke", "--compromised-since", bound2.addedAt!, "--json"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json).toMatchObject({ action: "revoke", reason: 4, reasonName: "KeyCompromise", signingKey: { generation: 2, state: "revoked", compromisedAt: bound2.addedAt, reasonName: "KeyCompromise" }, next: { generation: 3, bound: false } });
    const text = await cli(["key", "revoke", "--generation", "1", "--compromised-since", generation1!.addedAt!, "--reason", "CessationOfOperation"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`Revoked signing key generation 1 (${generation1!.did}) in transaction 0x`);
    expect(text.stdout).toContain(`Credentials it signed that were anchored at or after ${generation1!.addedAt} no longer verify (CessationOfOperation).`);

    // The auditor's timeline of the issuer, from chain events alone: accreditation, then the keys and batches in order.
    const audit = await cli(["audit", "issuer", ISSUER.address, "--json"]);
    expect(audit.code, audit.stderr).toBe(0);
    const entries = audit.json.entries as { event: string; signingKey: string | null; compromisedAt: string | null; reasonName: string | null; actor: string; sender: string; transactionHash: string; time: string; details: string }[];
    expect(entries.map((entry) => entry.event)).toEqual(["IssuerAccredited", "SigningKeyAdded", "BatchAnchored", "SigningKeyRetired", "SigningKeyAdded", "BatchAnchored", "SigningKeyRevoked", "SigningKeyRevoked"]);
    const keyEvents = entries.filter((entry) => entry.signingKey !== null);
    expect(keyEvents.map((entry) => [entry.event, entry.signingKey, entry.compromisedAt, entry.reasonName, entry.actor, entry.sender])).toEqual([
      ["SigningKeyAdded", generation1!.key, null, null, issuerLower, issuerLower],
      ["SigningKeyRetired", generation1!.key, null, null, issuerLower, issuerLower],
      ["SigningKeyAdded", generation2!.key, null, null, issuerLower, issuerLower],
      ["SigningKeyRevoked", generation2!.key, bound2.addedAt, "KeyCompromise", issuerLower, issuerLower],
      ["SigningKeyRevoked", generation1!.key, generation1!.addedAt, "CessationOfOperation", issuerLower, issuerLower],
    ]);
    expect(keyEvents[1]!.transactionHash).toBe(retired.json.transactionHash);
    expect(keyEvents[3]!.transactionHash).toBe(revoked.json.transactionHash);
    expect(keyEvents[3]!.details).toBe(`key=${generation2!.key} compromisedAt=${bound2.addedAt}`);
    expect(keyEvents[1]!.time).toBe(retired.json.signingKey.retiredAt);

    const csv = await cli(["audit", "issuer", ISSUER.address, "--format", "csv"]);
    const rows = csv.stdout.trim().split("\r\n");
    expect(rows[0]).toBe("time,blockNumber,transactionHash,logIndex,event,issuer,root,leafIndex,reason,reasonName,actor,sender,details,final");
    expect(rows.find((row) => row.includes(`,${revoked.json.transactionHash},`))).toMatch(new RegExp(`,SigningKeyRevoked,${issuerLower},,,4,KeyCompromise,${issuerLower},${issuerLower},key=${generation2!.key} compromisedAt=${bound2.addedAt},(true|false)$`));
    const table = await cli(["audit", "issuer", ISSUER.address]);
    expect(table.stdout).toMatch(/SigningKeyRetired +0x\w{6}…\w{4} +0x\w{6}…\w{4} +0x\w{6}…\w{4} +key=0x[0-9a-f]{64}\n/);
  });

  it("behavior: audit credential <format 2 file> shows its signing key's events with the batch's, and --at tells whether the key covered the anchor then", async () => {
    const { issue, cli } = await scenario("credential");
    const issued = await issue();
    expect(issued.run.code, issued.run.stderr).toBe(0);
    const file = path.join(issued.out, "credentials", (await readdir(path.join(issued.out, "credentials"))).filter((name) => name.endsWith(".json")).sort()[0]!);
    const key = ((await cli(["key", "list", "--json"])).json.keys as KeyEntry[])[0]!;
    const beforeRevocation = await cli(["audit", "credential", file, "--json"]);
    expect(beforeRevocation.json.signingKey).toBe(key.key);
    expect(beforeRevocation.json.entries.map((entry: { event: string }) => entry.event)).toEqual(["SigningKeyAdded", "BatchAnchored"]);
    const blockBefore: number = beforeRevocation.json.indexed.toBlock;

    const revoked = await cli(["key", "revoke", "--compromised-since", key.addedAt!, "--reason", "4", "--json"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await cli(["audit", "credential", file, "--json"]);
    expect(after.json.entries.map((entry: { event: string }) => entry.event)).toEqual(["SigningKeyAdded", "BatchAnchored", "SigningKeyRevoked"]);
    // Another issue's key events are not this credential's: a second batch with generation 2 adds none here.
    expect((await issue()).run.code).toBe(0);
    expect((await cli(["audit", "credential", file, "--json"])).json.entries).toHaveLength(3);

    const then = await cli(["audit", "credential", file, "--at", String(blockBefore), "--json"]);
    expect(then.json.state).toMatchObject({ anchored: true, signingKey: { bound: true, key: key.key, revokedAt: null }, signingKeyCoversAnchor: true });
    const now = await cli(["audit", "credential", file, "--at", String(after.json.indexed.toBlock), "--json"]);
    expect(now.json.state).toMatchObject({ signingKey: { compromisedAt: key.addedAt, revocationReason: "KeyCompromise" }, signingKeyCoversAnchor: false });
    const state = await cli(["audit", "issuer", ISSUER.address, "--at", String(after.json.indexed.toBlock), "--json"]);
    expect(state.json.state.signingKeys.map((entry: { key: string; revokedAt: string | null }) => [entry.key, entry.revokedAt !== null])).toEqual([[key.key, true]]);
  });

  it("behavior: a retirement killed after its transaction was sent is waited for by the rerun, never sent twice", async () => {
    const { issue, cli, registry, dir, issuer } = await scenario("crash");
    expect((await issue()).run.code).toBe(0);
    const crashed = await runCli(["key", "retire"], { cwd: dir, env: { ...issuer, CREDREG_TEST_CRASH_AT: "after-send" } });
    expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
    const rerun = await cli(["key", "retire", "--json"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json).toMatchObject({ resumed: true, signingKey: { generation: 1, state: "retired" } });
    const { provider } = await connectRpc(node.url);
    const keyRegistry = new Contract(keyRegistryAddressOf(registry), keyRegistryInterface, provider);
    const retirements = await keyRegistry.queryFilter(keyRegistry.filters.SigningKeyRetired!(ISSUER.address), 0);
    expect(retirements.map((log) => log.transactionHash)).toEqual([rerun.json.transactionHash]);
    provider.destroy();
    const text = await cli(["key", "retire", "--generation", "1"]);
    expect(text.code, "a retirement asked again is the registry's refusal, decoded").toBe(1);
    expect(text.stderr).toMatch(/^credreg: The registry rejected the transaction: signing key 0x[0-9a-f]{64} was already retired at \d{4}-\d{2}-\d{2}T[\d:.]+Z\.\n/);
  });

  it("behavior: retire is refused while a batch signed with the key is not anchored yet; once the issue finishes, it goes through", async () => {
    const { issue, cli, issuer, dir, registry } = await scenario("unanchored");
    const crashed = await issue({ CREDREG_TEST_CRASH_AT: "before-send" });
    expect(crashed.run.signal, crashed.run.stderr).toBe("SIGKILL");
    const store = IssuerStore.open(issuer.CREDREG_STORE);
    const [batch] = store.listBatches("31337", registry, ISSUER.address);
    store.close();
    expect(["prepared", "signed"]).toContain(batch?.state);
    const key = ((await cli(["key", "list", "--json"])).json.keys as KeyEntry[])[0]!;
    const refused = await cli(["key", "retire", "--json"]);
    expect(refused.code).toBe(1);
    expect(refused.json.error.message).toBe(`Batch ${batch!.root} was signed with ${key.did} but is not anchored yet: once the key is retired, it would not verify.`);
    // The rerun of the same issue finishes that batch; then the key may go.
    const rerun = await runCli(crashed.args, { cwd: dir, env: issuer });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json.status).toBe("resumed");
    const retired = await cli(["key", "retire", "--json"]);
    expect(retired.code, retired.stderr).toBe(0);
    expect(retired.json.signingKey).toMatchObject({ generation: 1, state: "retired" });
  });

  it("behavior: an accreditor revokes an issuer's key named by --key; the auditor sees the accreditor as the actor", async () => {
    const { issue, cli, governor } = await scenario("accreditor");
    expect((await issue()).run.code).toBe(0);
    const key = ((await cli(["key", "list", "--json"])).json.keys as KeyEntry[])[0]!;
    const revoked = await cli(["key", "revoke", "--key", key.did, "--compromised-since", key.addedAt!, "--reason", "AccreditationWithdrawn", "--json"], governor);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json).toMatchObject({ signer: GOVERNOR.address, issuer: ISSUER.address, signingKey: { generation: null, key: key.key, state: "revoked", reasonName: "AccreditationWithdrawn" }, next: null });
    const audit = await cli(["audit", "issuer", ISSUER.address, "--json"]);
    const revocation = audit.json.entries.find((entry: { event: string }) => entry.event === "SigningKeyRevoked");
    expect(revocation).toMatchObject({ issuer: issuerLower, signingKey: key.key, actor: GOVERNOR.address.toLowerCase(), sender: GOVERNOR.address.toLowerCase(), reasonName: "AccreditationWithdrawn" });
    // An issuer may not touch another issuer's key: the registry's refusal, decoded.
    const foreign = await cli(["key", "retire", "--key", key.did, "--json"], governor);
    expect(foreign.code).toBe(2);
    expect(foreign.json.error.message).toBe(`The registry rejected the transaction: ${GOVERNOR.address} may not change signing key ${key.key}, which is bound to ${ISSUER.address}.`);
  });

  it("error: bad flags and refused requests are one sentence each, exit 1, before anything is sent", async () => {
    const { issue, cli } = await scenario("errors");
    const cases: [string[], string][] = [
      [["key"], "key needs an action: list, retire or revoke."],
      [["key", "rotate"], 'Unknown key action "rotate".'],
      [["key", "revoke"], "key revoke needs --compromised-since <date-time>: from when the key's signatures are not to be trusted."],
      [["key", "revoke", "--compromised-since", "yesterday"], "--compromised-since yesterday is not a date-time with a time zone."],
      [["key", "revoke", "--compromised-since", "2026-09-01T12:00:00"], "--compromised-since 2026-09-01T12:00:00 is not a date-time with a time zone."],
      [["key", "revoke", "--compromised-since", "2026-09-01T12:00:00Z", "--reason", "Boredom"], "--reason Boredom is not a known reason."],
      [["key", "retire", "--generation", "0"], "--generation 0 is not a key generation."],
      [["key", "retire", "--key", "did:key:zNotAKey"], "--key did:key:zNotAKey is not an Ed25519 signing key."],
      [["key", "retire", "--compromised-since", "2026-09-01T12:00:00Z"], "key retire does not take --compromised-since."],
      [["key", "list", "extra"], 'key list takes no argument "extra".'],
      [["key", "retire"], `No signing key is in use to retire: generation 1 (${"did:key:"}`],
    ];
    for (const [args, message] of cases) {
      const run = await cli([...args, "--json"]);
      expect(run.code, args.join(" ")).toBe(1);
      expect(run.json.error.message.startsWith(message), `${args.join(" ")}: ${run.json.error.message}`).toBe(true);
      expect(run.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    }
    expect((await issue()).run.code).toBe(0);
    const key = ((await cli(["key", "list", "--json"])).json.keys as KeyEntry[])[0]!;
    const early = await cli(["key", "revoke", "--compromised-since", "2020-01-01T00:00:00Z", "--json"]);
    expect(early.code).toBe(1);
    expect(early.json.error.message).toMatch(new RegExp(`^The registry rejected the transaction: the compromise time 2020-01-01T00:00:00.000Z must lie between the key's addition \\(${key.addedAt!.slice(0, 19)}.000Z\\) and now \\(\\S+Z\\)\\.$`));
    const text = await cli(["key", "revoke", "--compromised-since", "soon"]);
    expect(text.stderr).toBe("credreg: --compromised-since soon is not a date-time with a time zone.\n\nGive an ISO 8601 date-time with its time zone, e.g. --compromised-since 2026-09-01T12:00:00Z.\n");
  });

  it("behavior: a registry without a key registry (deployed before format 2) keeps its audit working; key says why it cannot act", async () => {
    const { cli, registry } = await scenario("legacy");
    const { provider } = await connectRpc(node.url);
    // The key registry's code removed: the registry stands as one deployed before key registries existed.
    await provider.send("hardhat_setCode", [keyRegistryAddressOf(registry), "0x"]);
    provider.destroy();
    const audit = await cli(["audit", "issuer", ISSUER.address, "--json"]);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.json.indexed.keyRegistry).toBeNull();
    expect(audit.json.entries.map((entry: { event: string }) => entry.event)).toEqual(["IssuerAccredited"]);
    const list = await cli(["key", "list", "--json"]);
    expect(list.code).toBe(2);
    expect(list.json.error.message).toBe(`The registry ${registry} has no signing-key registry (it was deployed before format v2).`);
  });
});
