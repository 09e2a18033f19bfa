import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AbiCoder, getAddress, id, keccak256, toBeHex } from "ethers";
import { describe, expect, it } from "vitest";
import { AuditIndex } from "../../src/audit/AuditIndex.ts";
import { consistencyReport } from "../../src/audit/consistencyReport.ts";
import { indexRegistryEvents } from "../../src/audit/indexRegistryEvents.ts";
import { registryInterface } from "../../src/chain/registryContract.ts";
import { deployRegistryFixture } from "../helpers/registryFixture.ts";

// The registry's rules make every inconsistency below impossible through its API. Each test forges the chain on the
// in-process network (hardhat_setStorageAt, hardhat_setCode), as a faulty or compromised contract would, and checks
// that the report, which reads the events and their transactions, sees it.

const ROOT = id("consistency root");
const abi = AbiCoder.defaultAbiCoder();
const lower = (address: string) => address.toLowerCase();

/** A registry with issuer A's batch of 10 under ROOT, and the report of its history, indexed from its events. */
async function registryWithBatch() {
  const fixture = await deployRegistryFixture();
  const { as, issuerA, registry, ethers } = fixture;
  await (await as(issuerA).getFunction("anchorBatch")(ROOT, 10)).wait();
  const address = await registry.getAddress();
  const report = async (issuer?: string) => {
    const index = AuditIndex.open(path.join(await mkdtemp(path.join(tmpdir(), "credreg-consistency-")), "store.sqlite"));
    try {
      await indexRegistryEvents({ provider: ethers.provider, index, chainId: 31337n, registry: address, fromBlock: 0, confirmations: 0 });
      return consistencyReport(index.events("31337", address), issuer);
    } finally {
      index.close();
    }
  };
  return { ...fixture, address, report };
}

/** What a report entry says happened, and who did it. */
const summary = (entries: readonly { event: string; issuer: string | null; leafIndex: number | null; actor: string | null; sender: string }[]) =>
  entries.map((entry) => [entry.event, entry.issuer, entry.leafIndex, entry.actor, entry.sender]);

/** The first slot of `issuer`'s record (accreditedAt bits 0..63, deactivatedAt bits 64..127), as the contract lays it out. */
function issuerSlot(issuer: string): bigint {
  return (BigInt(id("credreg.CredentialRegistry.issuers")) + 4n * BigInt(issuer)) % 2n ** 256n;
}

/** OpenZeppelin AccessControl's `_roles[role].hasRole[account]` (`_roles` is the registry's slot 0). */
function roleSlot(role: string, account: string): bigint {
  return BigInt(keccak256(abi.encode(["address", "bytes32"], [account, keccak256(abi.encode(["bytes32", "uint256"], [role, 0]))])));
}

/** Runtime code that emits `LOG3(topic, calldata[0:32], calldata[32:64])` with data `calldata[64:128]`, and stops. */
function logEmitterCode(topic: string): string {
  // CALLDATACOPY(0, 0x40, 0x40); LOG3(0, 0x40, topic, CALLDATALOAD(0), CALLDATALOAD(0x20)); STOP
  return `0x604060406000376020356000357f${topic.slice(2)}60406000a300`;
}

/** Runtime code of a minimal wallet: forwards its calldata to `target` and reverts if that call fails. */
function forwarderCode(target: string): string {
  // CALLDATACOPY(0, 0, CALLDATASIZE); CALL(GAS, target, 0, 0, CALLDATASIZE, 0, 0); JUMPI(0x2e, ok); REVERT(0, 0); 0x2e: STOP
  return `0x36600060003760006000366000600073${target.slice(2).toLowerCase()}5af1602e5760006000fd5b00`;
}

describe("consistencyReport over an indexed history", () => {
  it("default: a history made through the registry's API is consistent; every actor is the transaction's sender", async () => {
    const { as, accreditor, issuerA, report } = await registryWithBatch();
    await (await as(issuerA).getFunction("revokeCredentials")(ROOT, [1], 3)).wait();
    await (await as(accreditor).getFunction("deactivateIssuer")(issuerA.address, 4)).wait();
    await (await as(accreditor).getFunction("suspendCredentialsOf")(issuerA.address, ROOT, [2], 8)).wait();
    await (await as(accreditor).getFunction("revokeBatchOf")(issuerA.address, ROOT, 4)).wait();
    const [issuer, acc] = [lower(issuerA.address), lower(accreditor.address)];
    const result = await report(issuerA.address);
    expect(result).toMatchObject({ consistent: true, foreignChanges: [], changesAfterDeactivation: [], senderDiffersFromActor: [] });
    expect(summary(result.accreditorInterventions)).toEqual([
      ["CredentialSuspended", issuer, 2, acc, acc],
      ["BatchRevoked", issuer, null, acc, acc],
    ]);
    expect(result.batches).toMatchObject([{ issuer, root: ROOT, leafCount: 10, revoked: 1, suspended: 1, batchRevoked: true }]);
  });

  it("behavior: an issuer that is a contract wallet acts through it: its own changes, listed as sent by another account", async () => {
    const { as, accreditor, outsider, address, networkHelpers, report } = await registryWithBatch();
    const wallet = getAddress("0x00000000000000000000000000000000c0ffee01");
    await networkHelpers.setCode(wallet, forwarderCode(address));
    await (await as(accreditor).getFunction("accreditIssuer")(wallet, "Wallet College", "https://wallet.example")).wait();
    await (await outsider.sendTransaction({ to: wallet, data: registryInterface.encodeFunctionData("anchorBatch", [ROOT, 4]) })).wait();
    await (await outsider.sendTransaction({ to: wallet, data: registryInterface.encodeFunctionData("revokeCredentials", [ROOT, [0], 1]) })).wait();
    const result = await report(wallet);
    expect(result).toMatchObject({ consistent: true, foreignChanges: [], changesAfterDeactivation: [], accreditorInterventions: [] });
    // The registry's msg.sender (the wallet) is not in these transactions: the event's issuer stands, for review.
    expect(summary(result.senderDiffersFromActor)).toEqual([
      ["BatchAnchored", lower(wallet), null, lower(wallet), lower(outsider.address)],
      ["CredentialRevoked", lower(wallet), 0, lower(wallet), lower(outsider.address)],
    ]);
  });

  it("behavior: a status change in an issuer's name, sent straight to the registry by another account, is a foreign change", async () => {
    const { ethers, issuerA, outsider, address, networkHelpers, report } = await registryWithBatch();
    // Forged: for one transaction the registry's code emits CredentialRevoked(issuer A, ROOT, 3, 1) for anyone.
    const code = await ethers.provider.getCode(address);
    await networkHelpers.setCode(address, logEmitterCode(registryInterface.getEvent("CredentialRevoked")!.topicHash));
    const data = abi.encode(["address", "bytes32", "uint256", "uint256"], [issuerA.address, ROOT, 3, 1]);
    await (await outsider.sendTransaction({ to: address, data })).wait();
    await networkHelpers.setCode(address, code);
    const result = await report(issuerA.address);
    expect(result.consistent).toBe(false);
    expect(summary(result.foreignChanges)).toEqual([["CredentialRevoked", lower(issuerA.address), 3, lower(outsider.address), lower(outsider.address)]]);
    expect(result).toMatchObject({ changesAfterDeactivation: [], accreditorInterventions: [], senderDiffersFromActor: [] });
  });

  it("behavior: a change after the deactivation by an account the history never made an accreditor is a foreign change", async () => {
    const { as, registry, ACCREDITOR_ROLE, accreditor, issuerA, outsider, address, networkHelpers, report } = await registryWithBatch();
    // Forged: the outsider holds ACCREDITOR_ROLE in storage, with no RoleGranted event.
    await networkHelpers.setStorageAt(address, roleSlot(ACCREDITOR_ROLE, outsider.address), 1n);
    expect(await registry.getFunction("hasRole")(ACCREDITOR_ROLE, outsider.address)).toBe(true);
    await (await as(accreditor).getFunction("deactivateIssuer")(issuerA.address, 4)).wait();
    await (await as(outsider).getFunction("revokeCredentialsOf")(issuerA.address, ROOT, [4], 3)).wait();
    await (await as(accreditor).getFunction("revokeCredentialsOf")(issuerA.address, ROOT, [5], 3)).wait();
    const result = await report(issuerA.address);
    expect(result.consistent).toBe(false);
    const [issuer, stranger, acc] = [lower(issuerA.address), lower(outsider.address), lower(accreditor.address)];
    expect(summary(result.foreignChanges)).toEqual([["CredentialRevoked", issuer, 4, stranger, stranger]]);
    expect(summary(result.accreditorInterventions)).toEqual([["CredentialRevoked", issuer, 5, acc, acc]]);
  });

  it("behavior: an accreditor's change for an issuer the history shows active is a foreign change", async () => {
    const { ethers, as, accreditor, issuerA, address, networkHelpers, report } = await registryWithBatch();
    // Forged: issuer A reads as deactivated in storage for one call, with no IssuerDeactivated event.
    const slot = issuerSlot(issuerA.address);
    const word = BigInt(await ethers.provider.getStorage(address, slot));
    expect(word > 0n && word < 2n ** 64n).toBe(true); // accredited, active
    await networkHelpers.setStorageAt(address, slot, word | (1n << 64n));
    await (await as(accreditor).getFunction("suspendCredentialsOf")(issuerA.address, ROOT, [6], 8)).wait();
    await networkHelpers.setStorageAt(address, slot, toBeHex(word, 32));
    const result = await report(issuerA.address);
    expect(result.consistent).toBe(false);
    expect(summary(result.foreignChanges)).toEqual([["CredentialSuspended", lower(issuerA.address), 6, lower(accreditor.address), lower(accreditor.address)]]);
    expect(result.accreditorInterventions).toEqual([]);
  });

  it("behavior: an issuer's change after its deactivation is flagged", async () => {
    const { ethers, as, accreditor, issuerA, address, networkHelpers, report } = await registryWithBatch();
    await (await as(accreditor).getFunction("deactivateIssuer")(issuerA.address, 4)).wait();
    // Forged: the deactivation is wiped from storage (the IssuerDeactivated event stays in the history).
    const slot = issuerSlot(issuerA.address);
    const word = BigInt(await ethers.provider.getStorage(address, slot));
    await networkHelpers.setStorageAt(address, slot, word & (2n ** 64n - 1n));
    await (await as(issuerA).getFunction("revokeCredentials")(ROOT, [7], 1)).wait();
    const result = await report(issuerA.address);
    expect(result.consistent).toBe(false);
    expect(summary(result.changesAfterDeactivation)).toEqual([["CredentialRevoked", lower(issuerA.address), 7, lower(issuerA.address), lower(issuerA.address)]]);
    expect(result).toMatchObject({ foreignChanges: [], accreditorInterventions: [] });
    // The registry-wide report sees it too.
    expect(summary((await report()).changesAfterDeactivation)).toEqual(summary(result.changesAfterDeactivation));
  });
});
