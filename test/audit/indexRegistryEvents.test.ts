import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { HDNodeWallet, id } from "ethers";
import { network } from "hardhat";
import { limitingRpcProxy } from "../helpers/limitingRpcProxy.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditIndex } from "../../src/audit/AuditIndex.ts";
import { replayEvents } from "../../src/audit/auditState.ts";
import { consistencyReport } from "../../src/audit/consistencyReport.ts";
import { indexRegistryEvents } from "../../src/audit/indexRegistryEvents.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";

const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public development accounts
const dev = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
const ROOT_1 = id("audit root 1");
const ROOT_2 = id("audit root 2");

let node: LocalNode;
let registryAddress: string;
let deploymentBlock: number;
const [governor, issuerA, issuerB] = [0, 1, 2].map((index) => dev(index).address.toLowerCase());

beforeAll(async () => {
  node = await startHardhatNode();
  const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const [gov, a, b] = [0, 1, 2].map((index) => dev(index).connect(provider));
  const deployment = await deployRegistry({ signer: gov! });
  registryAddress = deployment.address;
  deploymentBlock = deployment.blockNumber;
  const as = (wallet: HDNodeWallet) => registryContract(registryAddress, wallet);
  await sendRegistryTransaction(as(gov!), "accreditIssuer", [a!.address, "Issuer A", "https://a.example"]);
  await sendRegistryTransaction(as(gov!), "accreditIssuer", [b!.address, "Issuer B", "https://b.example"]);
  await sendRegistryTransaction(as(a!), "anchorBatch", [ROOT_1, 10]);
  await sendRegistryTransaction(as(b!), "anchorBatch", [ROOT_1, 4]);
  await sendRegistryTransaction(as(a!), "revokeCredentials", [ROOT_1, [1, 2], 3]);
  await sendRegistryTransaction(as(a!), "suspendCredentials", [ROOT_1, [5], 8]);
  await sendRegistryTransaction(as(a!), "reinstateCredentials", [ROOT_1, [5], 9]);
  await sendRegistryTransaction(as(a!), "anchorBatch", [ROOT_2, 3]);
  await sendRegistryTransaction(as(gov!), "deactivateIssuer", [a!.address, 4]);
  await sendRegistryTransaction(as(gov!), "revokeCredentialsOf", [a!.address, ROOT_1, [7], 4]);
  await sendRegistryTransaction(as(gov!), "revokeBatchOf", [a!.address, ROOT_2, 4]);
  for (let block = 0; block < 40; block += 1) await provider.send("evm_mine", []); // room for range limits
  provider.destroy();
});

afterAll(async () => {
  await node?.stop();
});

const newIndex = async () => AuditIndex.open(path.join(await mkdtemp(path.join(tmpdir(), "credreg-audit-")), "store.sqlite"));
const summary = (index: AuditIndex) =>
  index.events("31337", registryAddress).map((event) => [event.event, event.issuer, event.root === null ? null : event.root.slice(0, 10), event.leafIndex, event.reason, event.actor]);

const EXPECTED = [
  ["RoleGranted", null, null, null, null, governor], // DEFAULT_ADMIN_ROLE, in the constructor
  ["RoleGranted", null, null, null, null, governor], // ACCREDITOR_ROLE, by deployRegistry
  ["IssuerAccredited", issuerA, null, null, null, governor],
  ["IssuerAccredited", issuerB, null, null, null, governor],
  ["BatchAnchored", issuerA, ROOT_1.slice(0, 10), null, null, issuerA],
  ["BatchAnchored", issuerB, ROOT_1.slice(0, 10), null, null, issuerB],
  ["CredentialRevoked", issuerA, ROOT_1.slice(0, 10), 1, 3, issuerA],
  ["CredentialRevoked", issuerA, ROOT_1.slice(0, 10), 2, 3, issuerA],
  ["CredentialSuspended", issuerA, ROOT_1.slice(0, 10), 5, 8, issuerA],
  ["CredentialReinstated", issuerA, ROOT_1.slice(0, 10), 5, 9, issuerA],
  ["BatchAnchored", issuerA, ROOT_2.slice(0, 10), null, null, issuerA],
  ["IssuerDeactivated", issuerA, null, null, 4, governor],
  ["CredentialRevoked", issuerA, ROOT_1.slice(0, 10), 7, 4, governor],
  ["StatusChangedByAccreditor", issuerA, ROOT_1.slice(0, 10), null, null, governor],
  ["BatchRevoked", issuerA, ROOT_2.slice(0, 10), null, 4, governor],
];

describe("indexRegistryEvents against a hardhat node", () => {
  it("default: the history is exactly what happened, in order, with actors, reasons, blocks, times and transactions", async () => {
    const index = await newIndex();
    const { provider, chainId } = await connectRpc(node.url);
    const report = await indexRegistryEvents({ provider, index, chainId, registry: registryAddress, fromBlock: deploymentBlock, confirmations: 2 });
    expect(summary(index)).toEqual(EXPECTED);
    expect(index.events("31337", registryAddress).filter((event) => event.event === "RoleGranted").map((event) => event.args.role)).toEqual([`0x${"00".repeat(32)}`, id("ACCREDITOR_ROLE")]);
    const events = index.events("31337", registryAddress);
    expect(events.every((event) => event.transactionHash.startsWith("0x") && event.blockTime > 0 && event.final)).toBe(true);
    expect(events.map((event) => event.blockNumber)).toEqual([...events.map((event) => event.blockNumber)].sort((a, b) => a - b));
    expect(report.eventsRead).toBe(events.length);
    // The state now, replayed from events alone, and the consistency report.
    const { batches, credential, issuers } = replayEvents(events);
    expect(batches.get(`${issuerA}:${ROOT_1.toLowerCase()}`)).toMatchObject({ leafCount: 10, revoked: 3, suspended: 0, revokedAt: null });
    expect(batches.get(`${issuerA}:${ROOT_2.toLowerCase()}`)?.revocationReason).toBe(4);
    expect(credential(issuerA!, ROOT_1, 7)).toMatchObject({ revoked: true, suspended: false });
    expect(issuers.get(issuerA!)).toMatchObject({ name: "Issuer A", profileId: "https://a.example", deactivationReason: 4, batches: 2 });
    const report2 = consistencyReport(events);
    expect(report2.consistent).toBe(true);
    expect(report2.accreditorInterventions.map((entry) => entry.event)).toEqual(["CredentialRevoked", "BatchRevoked"]);
    expect(report2.batches).toHaveLength(3);
    provider.destroy();
    index.close();
  });

  it("behavior: through an RPC that refuses ranges over 5 blocks and rate-limits every 4th request, the chunks shrink, rate limits are retried, and the history is the same", async () => {
    const proxy = await limitingRpcProxy(node.url, { maxRange: 5, rateLimitEvery: 4 });
    const index = await newIndex();
    const { provider, chainId } = await connectRpc(proxy.url);
    const report = await indexRegistryEvents({ provider, index, chainId, registry: registryAddress, fromBlock: deploymentBlock, confirmations: 2, initialChunk: 64 });
    expect(report.rangeReductions).toBeGreaterThan(0);
    expect(proxy.refused()).toBeGreaterThan(0);
    expect(proxy.rateLimited()).toBeGreaterThan(0);
    const reference = await newIndex();
    const direct = await connectRpc(node.url);
    await indexRegistryEvents({ provider: direct.provider, index: reference, chainId, registry: registryAddress, fromBlock: deploymentBlock, confirmations: 2 });
    expect(index.events("31337", registryAddress)).toEqual(reference.events("31337", registryAddress));
    provider.destroy();
    direct.provider.destroy();
    index.close();
    reference.close();
    await proxy.close();
  });

  it("behavior: an interrupted index resumes with no gap and no duplicate", async () => {
    const { provider, chainId } = await connectRpc(node.url);
    const index = await newIndex();
    const options = { provider, index, chainId, registry: registryAddress, fromBlock: deploymentBlock, confirmations: 2, initialChunk: 2 };
    await indexRegistryEvents({ ...options, untilBlock: deploymentBlock + 5 });
    const partial = index.count("31337", registryAddress);
    expect(partial).toBeGreaterThan(0);
    const resumed = await indexRegistryEvents(options);
    expect(resumed.fromBlock).toBeGreaterThan(deploymentBlock);
    const reference = await newIndex();
    await indexRegistryEvents({ ...options, index: reference });
    expect(index.events("31337", registryAddress)).toEqual(reference.events("31337", registryAddress));
    const keys = index.events("31337", registryAddress).map((event) => `${event.blockNumber}:${event.logIndex}`);
    expect(new Set(keys).size).toBe(keys.length);
    provider.destroy();
    index.close();
    reference.close();
  });

  it("behavior: a reset chain (same id, new genesis, same registry address) is indexed apart: its events never mix with the vanished chain's, which are kept", async () => {
    const index = await newIndex();
    const old = await connectRpc(node.url);
    const oldGenesis = (await old.provider.getBlock(0))!.hash!;
    const run = (provider: typeof old.provider, fromBlock: number) => indexRegistryEvents({ provider, index, chainId: 31337n, registry: registryAddress, fromBlock, confirmations: 2 });
    await run(old.provider, deploymentBlock);
    expect(summary(index)).toEqual(EXPECTED);
    // Another chain with the same id (a restarted node): the same deployer puts its registry at the same address.
    const restarted = await startHardhatNode();
    try {
      const { provider } = await connectRpc(restarted.url, { pollingIntervalMs: 50 });
      const newGenesis = (await provider.getBlock(0))!.hash!;
      expect(newGenesis).not.toBe(oldGenesis);
      const [gov, other] = [0, 3].map((index) => dev(index).connect(provider));
      const deployment = await deployRegistry({ signer: gov! });
      expect(deployment.address).toBe(registryAddress);
      await sendRegistryTransaction(registryContract(registryAddress, gov!), "accreditIssuer", [other!.address, "New College", "https://new.example"]);
      await sendRegistryTransaction(registryContract(registryAddress, other!), "anchorBatch", [ROOT_2, 3]);
      for (let block = 0; block < 3; block += 1) await provider.send("evm_mine", []);
      await run(provider, deployment.blockNumber);
      const other3 = dev(3).address.toLowerCase();
      expect(summary(index)).toEqual([
        ["RoleGranted", null, null, null, null, governor],
        ["RoleGranted", null, null, null, null, governor],
        ["IssuerAccredited", other3, null, null, null, governor],
        ["BatchAnchored", other3, ROOT_2.slice(0, 10), null, null, other3],
      ]);
      provider.destroy();
    } finally {
      await restarted.stop();
    }
    // The vanished chain's events were kept apart, not deleted: with its genesis claimed again, they are there unread.
    expect(index.useChain("31337", oldGenesis)).toMatchObject({ genesisHash: oldGenesis.toLowerCase() });
    expect(summary(index)).toEqual(EXPECTED);
    old.provider.destroy();
    index.close();
  });
});

describe("indexRegistryEvents and reorgs (in-process network)", () => {
  it("behavior: events of blocks newer than the depth are re-read: a reverted revocation disappears, the new history appears", async () => {
    const { ethers, provider: eip1193 } = await network.create();
    const [gov, issuer] = await ethers.getSigners();
    const deployment = await deployRegistry({ signer: gov! });
    const registry = registryContract(deployment.address, issuer!);
    await (await registryContract(deployment.address, gov!).getFunction("accreditIssuer")(issuer!.address, "Reorg College", "https://reorg.example")).wait();
    await (await registry.getFunction("anchorBatch")(ROOT_1, 8)).wait();
    for (let block = 0; block < 5; block += 1) await eip1193.request({ method: "evm_mine", params: [] });
    const index = await newIndex();
    const chainId = 31337n;
    const run = () => indexRegistryEvents({ provider: ethers.provider, index, chainId, registry: deployment.address, fromBlock: deployment.blockNumber, confirmations: 3 });
    const snapshot = await eip1193.request({ method: "evm_snapshot", params: [] });
    await (await registry.getFunction("revokeCredentials")(ROOT_1, [3], 1)).wait();
    await run();
    const before = index.events("31337", deployment.address).map((event) => event.event);
    expect(before.at(-1)).toBe("CredentialRevoked");
    expect(index.events("31337", deployment.address).at(-1)?.final).toBe(false);
    await eip1193.request({ method: "evm_revert", params: [snapshot] });
    await (await registry.getFunction("suspendCredentials")(ROOT_1, [4], 8)).wait();
    for (let block = 0; block < 4; block += 1) await eip1193.request({ method: "evm_mine", params: [] });
    await run();
    const after = index.events("31337", deployment.address);
    expect(after.map((event) => event.event)).not.toContain("CredentialRevoked");
    expect(after.at(-1)).toMatchObject({ event: "CredentialSuspended", leafIndex: 4, final: true });
    index.close();
  });

  it("behavior: a reorg deeper than the depth (the last final block changed) rebuilds the index from the deployment block", async () => {
    const { ethers, provider: eip1193 } = await network.create();
    const [gov, issuer] = await ethers.getSigners();
    const deployment = await deployRegistry({ signer: gov! });
    const registry = registryContract(deployment.address, issuer!);
    await (await registryContract(deployment.address, gov!).getFunction("accreditIssuer")(issuer!.address, "Deep College", "https://deep.example")).wait();
    await (await registry.getFunction("anchorBatch")(ROOT_2, 8)).wait();
    const snapshot = await eip1193.request({ method: "evm_snapshot", params: [] });
    await (await registry.getFunction("revokeCredentials")(ROOT_2, [6], 1)).wait();
    for (let block = 0; block < 5; block += 1) await eip1193.request({ method: "evm_mine", params: [] });
    const index = await newIndex();
    const run = () => indexRegistryEvents({ provider: ethers.provider, index, chainId: 31337n, registry: deployment.address, fromBlock: deployment.blockNumber, confirmations: 1 });
    await run();
    expect(index.events("31337", deployment.address).find((event) => event.event === "CredentialRevoked")?.final).toBe(true);
    await eip1193.request({ method: "evm_revert", params: [snapshot] });
    await (await registry.getFunction("revokeCredentials")(ROOT_2, [2], 5)).wait();
    for (let block = 0; block < 8; block += 1) await eip1193.request({ method: "evm_mine", params: [] });
    await run();
    const revocations = index.events("31337", deployment.address).filter((event) => event.event === "CredentialRevoked");
    expect(revocations.map((event) => [event.leafIndex, event.reason])).toEqual([[2, 5]]);
    index.close();
  });
});
