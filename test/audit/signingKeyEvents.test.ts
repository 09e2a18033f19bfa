import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Contract, HDNodeWallet, id } from "ethers";
import { network } from "hardhat";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditIndex } from "../../src/audit/AuditIndex.ts";
import { replayEvents } from "../../src/audit/auditState.ts";
import { toAuditEntry } from "../../src/audit/auditTimeline.ts";
import { consistencyReport } from "../../src/audit/consistencyReport.ts";
import { indexRegistryEvents } from "../../src/audit/indexRegistryEvents.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { keyRegistryAddressOf } from "../../src/chain/keyRegistryAddressOf.ts";
import { keyRegistryInterface } from "../../src/chain/keyRegistryContract.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { deployRegistryFixture } from "../helpers/registryFixture.ts";
import { limitingRpcProxy } from "../helpers/limitingRpcProxy.ts";

// The key registry (IssuerKeyRegistry, created by the registry's constructor) is driven through its own API; keys are
// arbitrary 32-byte values (the contract stores public keys, it does not check them).
const KEY_1 = id("signing key 1");
const KEY_2 = id("signing key 2");
const KEY_3 = id("signing key 3");
const ROOT = id("key audit root");

const newIndex = async () => AuditIndex.open(path.join(await mkdtemp(path.join(tmpdir(), "credreg-key-audit-")), "store.sqlite"));
const lower = (address: string) => address.toLowerCase();

/** A registry whose issuers bind, retire and lose keys, interleaved with an anchor, on the in-process network. */
async function registryWithKeyHistory() {
  const fixture = await deployRegistryFixture();
  const { as, issuerA, issuerB, accreditor, registry, blockTime, ethers } = fixture;
  const address = await registry.getAddress();
  const keyRegistryAddress = keyRegistryAddressOf(address);
  const keys = (signer: unknown) => new Contract(keyRegistryAddress, keyRegistryInterface, signer as never);
  const added1 = await blockTime(await keys(issuerA).getFunction("addSigningKey")(KEY_1));
  await (await as(issuerA).getFunction("anchorBatch")(ROOT, 4)).wait();
  await (await keys(issuerA).getFunction("retireSigningKey")(KEY_1)).wait();
  const added2 = await blockTime(await keys(issuerA).getFunction("addSigningKey")(KEY_2));
  await (await keys(issuerB).getFunction("addSigningKey")(KEY_3)).wait();
  await (await keys(accreditor).getFunction("revokeSigningKey")(KEY_2, added2, 4)).wait();
  await (await as(issuerA).getFunction("revokeCredentials")(ROOT, [2], 3)).wait();
  const run = (index: AuditIndex, confirmations = 0) => indexRegistryEvents({ provider: ethers.provider, index, chainId: 31337n, registry: address, fromBlock: 0, confirmations });
  return { ...fixture, address, keyRegistryAddress, keys, added1, added2, run };
}

describe("indexing the key registry's events with the registry's", () => {
  it("default: key additions, retirements and revocations are indexed in chain order with the registry's events, with issuer, key, compromise time, reason, actor, sender and transaction", async () => {
    const { address, keyRegistryAddress, issuerA, issuerB, accreditor, added1, added2, run } = await registryWithKeyHistory();
    const index = await newIndex();
    const report = await run(index);
    expect(report.keyRegistry).toBe(keyRegistryAddress);
    const [a, b, acc] = [issuerA, issuerB, accreditor].map((signer) => lower(signer.address));
    const events = index.events("31337", address, { issuer: a });
    expect(events.map((event) => [event.event, event.root === null ? null : "root", event.args.key ?? null, event.reason, event.actor, event.sender])).toEqual([
      ["IssuerAccredited", null, null, null, acc, acc],
      ["SigningKeyAdded", null, KEY_1, null, a, a],
      ["BatchAnchored", "root", null, null, a, a],
      ["SigningKeyRetired", null, KEY_1, null, a, a],
      ["SigningKeyAdded", null, KEY_2, null, a, a],
      ["SigningKeyRevoked", null, KEY_2, 4, acc, acc],
      ["CredentialRevoked", "root", null, 3, a, a],
    ]);
    const revocation = events.find((event) => event.event === "SigningKeyRevoked")!;
    expect(revocation.args).toEqual({ issuer: issuerA.address, key: KEY_2, compromisedAt: String(added2), reason: "4", actor: accreditor.address });
    expect(revocation.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(revocation.blockTime).toBeGreaterThanOrEqual(added2);
    expect(toAuditEntry(revocation)).toMatchObject({ event: "SigningKeyRevoked", signingKey: KEY_2, reasonName: "KeyCompromise", compromisedAt: `${new Date(added2 * 1000).toISOString().slice(0, 19)}Z`, details: `key=${KEY_2} compromisedAt=${new Date(added2 * 1000).toISOString().slice(0, 19)}Z` });
    // Issuer B's key is B's alone; the whole registry holds both, in block order.
    expect(index.events("31337", address, { issuer: b }).map((event) => [event.event, event.args.key ?? null])).toEqual([["IssuerAccredited", null], ["SigningKeyAdded", KEY_3]]);
    const all = index.events("31337", address);
    expect(all.map((event) => [event.blockNumber, event.logIndex])).toEqual([...all].sort((x, y) => x.blockNumber - y.blockNumber || x.logIndex - y.logIndex).map((event) => [event.blockNumber, event.logIndex]));
    // A credential's history: its batch's events and its signing key's, no other key's.
    const credential = index.events("31337", address, { issuer: a, root: ROOT, leafIndex: 2, signingKey: KEY_1 });
    expect(credential.map((event) => event.event)).toEqual(["SigningKeyAdded", "BatchAnchored", "SigningKeyRetired", "CredentialRevoked"]);
    expect(index.events("31337", address, { signingKey: KEY_2 }).map((event) => event.event)).toEqual(["SigningKeyAdded", "SigningKeyRevoked"]);
    // Replayed: every key's state; the rules' report is not confused by key events.
    const { signingKeys } = replayEvents(all);
    expect(signingKeys.get(KEY_1)).toEqual({ key: KEY_1, issuer: a, addedAt: added1, retiredAt: expect.any(Number), compromisedAt: null, revokedAt: null, revocationReason: null, revokedBy: null });
    expect(signingKeys.get(KEY_2)).toMatchObject({ issuer: a, addedAt: added2, retiredAt: null, compromisedAt: added2, revocationReason: 4, revokedBy: acc });
    expect(signingKeys.get(KEY_3)).toMatchObject({ issuer: b, retiredAt: null, revokedAt: null });
    expect(consistencyReport(all)).toMatchObject({ consistent: true, foreignChanges: [], changesAfterDeactivation: [], senderDiffersFromActor: [] });
    index.close();
  });

  it("behavior: a registry with no code at its key registry's address (deployed before format 2) is indexed as before; once key events are read, an index built without them catches up from the deployment block, with no duplicate", async () => {
    const { address, keyRegistryAddress, ethers, run } = await registryWithKeyHistory();
    const code = await ethers.provider.getCode(keyRegistryAddress);
    await ethers.provider.send("hardhat_setCode", [keyRegistryAddress, "0x"]);
    const index = await newIndex();
    const legacy = await run(index);
    expect(legacy.keyRegistry).toBeNull();
    expect(index.events("31337", address).map((event) => event.event)).toEqual(["RoleGranted", "RoleGranted", "IssuerAccredited", "IssuerAccredited", "BatchAnchored", "CredentialRevoked"]);
    expect(index.cursor("31337", keyRegistryAddress)).toBeUndefined();
    const upToDate = await run(index);
    expect(upToDate.eventsRead, "nothing new to read").toBe(0);

    // The same index read by a credreg that reads key events: from the deployment block again, key events included.
    await ethers.provider.send("hardhat_setCode", [keyRegistryAddress, code]);
    const caughtUp = await run(index);
    expect(caughtUp.fromBlock).toBe(0);
    const reference = await newIndex();
    await run(reference);
    expect(index.events("31337", address)).toEqual(reference.events("31337", address));
    expect(index.events("31337", address).filter((event) => event.event.startsWith("SigningKey"))).toHaveLength(5);
    expect(index.cursor("31337", keyRegistryAddress)).toEqual(index.cursor("31337", address));
    expect((await run(index)).fromBlock, "both cursors moved: the next update starts after them").toBe(index.cursor("31337", address)!.finalBlock + 1);

    // --reindex (and a reorg deeper than the depth) forgets both cursors.
    index.reset("31337", address);
    expect([index.cursor("31337", address), index.cursor("31337", keyRegistryAddress), index.count("31337", address)]).toEqual([undefined, undefined, 0]);
    index.close();
    reference.close();
  });

  it("behavior: a key retirement in a block newer than the depth, reverted by a reorg, disappears from the index; the key's new history appears", async () => {
    const { ethers, provider: eip1193 } = await network.create();
    const [gov, issuer] = await ethers.getSigners();
    const deployment = await deployRegistry({ signer: gov! });
    await (await registryContract(deployment.address, gov!).getFunction("accreditIssuer")(issuer!.address, "Reorg College", "https://reorg.example")).wait();
    const keys = new Contract(keyRegistryAddressOf(deployment.address), keyRegistryInterface, issuer!);
    const added = await (await keys.getFunction("addSigningKey")(KEY_1)).wait();
    for (let block = 0; block < 5; block += 1) await eip1193.request({ method: "evm_mine", params: [] });
    const index = await newIndex();
    const run = () => indexRegistryEvents({ provider: ethers.provider, index, chainId: 31337n, registry: deployment.address, fromBlock: deployment.blockNumber, confirmations: 3 });
    const snapshot = await eip1193.request({ method: "evm_snapshot", params: [] });
    await (await keys.getFunction("retireSigningKey")(KEY_1)).wait();
    await run();
    expect(index.events("31337", deployment.address).at(-1)).toMatchObject({ event: "SigningKeyRetired", final: false });
    await eip1193.request({ method: "evm_revert", params: [snapshot] });
    const addedAt = (await ethers.provider.getBlock(added!.blockNumber))!.timestamp;
    await (await keys.getFunction("revokeSigningKey")(KEY_1, addedAt, 4)).wait();
    for (let block = 0; block < 4; block += 1) await eip1193.request({ method: "evm_mine", params: [] });
    await run();
    const after = index.events("31337", deployment.address).filter((event) => event.event.startsWith("SigningKey"));
    expect(after.map((event) => [event.event, event.final])).toEqual([
      ["SigningKeyAdded", true],
      ["SigningKeyRevoked", true],
    ]);
    index.close();
  });
});

describe("indexing key events against a hardhat node", () => {
  let node: LocalNode;
  let registryAddress: string;
  let deploymentBlock: number;
  const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public development accounts
  const dev = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

  beforeAll(async () => {
    node = await startHardhatNode();
    const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
    const [gov, a] = [0, 1].map((index) => dev(index).connect(provider));
    const deployment = await deployRegistry({ signer: gov! });
    registryAddress = deployment.address;
    deploymentBlock = deployment.blockNumber;
    await sendRegistryTransaction(registryContract(registryAddress, gov!), "accreditIssuer", [a!.address, "Issuer A", "https://a.example"]);
    const keys = new Contract(keyRegistryAddressOf(registryAddress), keyRegistryInterface, a!);
    for (const [position, key] of [KEY_1, KEY_2, KEY_3].entries()) {
      for (let block = 0; block < 7; block += 1) await provider.send("evm_mine", []); // spread over ranges the proxy refuses
      await (await keys.getFunction("addSigningKey")(key)).wait();
      if (position < 2) await (await keys.getFunction("retireSigningKey")(key)).wait();
      await sendRegistryTransaction(registryContract(registryAddress, a!), "anchorBatch", [id(`root ${position}`), 2]);
    }
    for (let block = 0; block < 10; block += 1) await provider.send("evm_mine", []);
    provider.destroy();
  });

  afterAll(async () => {
    await node?.stop();
  });

  it("behavior: through an RPC that refuses ranges over 5 blocks and rate-limits, the key registry's ranges shrink too and the history is the same as read directly", async () => {
    const proxy = await limitingRpcProxy(node.url, { maxRange: 5, rateLimitEvery: 5 });
    const index = await newIndex();
    const { provider, chainId } = await connectRpc(proxy.url);
    const report = await indexRegistryEvents({ provider, index, chainId, registry: registryAddress, fromBlock: deploymentBlock, confirmations: 2, initialChunk: 64 });
    expect(report.rangeReductions).toBeGreaterThan(0);
    expect(proxy.refused()).toBeGreaterThan(0);
    const reference = await newIndex();
    const direct = await connectRpc(node.url);
    await indexRegistryEvents({ provider: direct.provider, index: reference, chainId, registry: registryAddress, fromBlock: deploymentBlock, confirmations: 2 });
    const events = index.events("31337", registryAddress);
    expect(events).toEqual(reference.events("31337", registryAddress));
    expect(events.map((event) => event.event).filter((name) => name !== "RoleGranted")).toEqual([
      "IssuerAccredited",
      "SigningKeyAdded",
      "SigningKeyRetired",
      "BatchAnchored",
      "SigningKeyAdded",
      "SigningKeyRetired",
      "BatchAnchored",
      "SigningKeyAdded",
      "BatchAnchored",
    ]);
    provider.destroy();
    direct.provider.destroy();
    index.close();
    reference.close();
    await proxy.close();
  });
});
