import { expect } from "chai";
import { type Interface, ZeroAddress, ZeroHash, id } from "ethers";
import { describe, it } from "vitest";
import { MAX_REASON, reasonCodes } from "../../src/chain/reasonCodes.ts";
import { buildCredentialTree } from "../../src/merkle/buildCredentialTree.ts";
import { credentialLeaf } from "../../src/merkle/credentialLeaf.ts";
import { ADMIN_DELAY, PROFILE_A, bytes32, deployRegistryFixture } from "../helpers/registryFixture.ts";

const ROOT = bytes32("root-1");
const OTHER_ROOT = bytes32("root-2");

/** Fixture plus one batch of `leafCount` anchored by issuer A under ROOT (a label, not a tree's root: no proof is valid). */
async function anchoredFixture(leafCount = 1000) {
  const fixture = await deployRegistryFixture();
  const response = await fixture.as(fixture.issuerA).getFunction("anchorBatch")(ROOT, leafCount);
  const anchoredAt = await fixture.blockTime(response);
  const { blockNumber } = (await response.wait()) as { blockNumber: number };
  const { accreditedAt } = (await fixture.registry.getFunction("issuer")(fixture.issuerA.address)) as { accreditedAt: bigint };
  return { ...fixture, anchoredAt, anchoredBlock: BigInt(blockNumber), issuerAAccreditedAt: accreditedAt };
}

/** Fixture plus issuer A's batch, and issuer A deactivated (reason 4, KeyCompromise). */
async function deactivatedFixture() {
  const fixture = await anchoredFixture();
  const response = await fixture.as(fixture.accreditor).getFunction("deactivateIssuer")(fixture.issuerA.address, 4);
  const deactivatedAt = await fixture.blockTime(response);
  return { ...fixture, deactivatedAt };
}

/** The revocation word `word` of `(issuer, root)`. */
async function revocationWord(registry: { getFunction(name: string): (...args: unknown[]) => Promise<unknown> }, issuer: string, root: string, word: number): Promise<bigint> {
  const [revoked] = (await registry.getFunction("statusWords")(issuer, root, word)) as [bigint, bigint];
  return revoked;
}

/** The suspension word `word` of `(issuer, root)`. */
async function suspensionWord(registry: { getFunction(name: string): (...args: unknown[]) => Promise<unknown> }, issuer: string, root: string, word: number): Promise<bigint> {
  const [, suspended] = (await registry.getFunction("statusWords")(issuer, root, word)) as [bigint, bigint];
  return suspended;
}

function bit(word: bigint, position: number): boolean {
  return ((word >> BigInt(position)) & 1n) === 1n;
}

type Status = {
  proofValid: boolean;
  indexInRange: boolean;
  revoked: boolean;
  suspended: boolean;
  batchRevoked: boolean;
  leafCount: bigint;
  anchoredAt: bigint;
  anchoredBlock: bigint;
  batchRevokedAt: bigint;
  batchRevocationReason: bigint;
  issuerAccreditedAt: bigint;
  issuerDeactivatedAt: bigint;
};

/** Every field of a CredentialStatus: all false and zero (what an unknown credential gets) but for `fields`. */
function status(fields: Partial<Status>): Status {
  return {
    proofValid: false,
    indexInRange: false,
    revoked: false,
    suspended: false,
    batchRevoked: false,
    leafCount: 0n,
    anchoredAt: 0n,
    anchoredBlock: 0n,
    batchRevokedAt: 0n,
    batchRevocationReason: 0n,
    issuerAccreditedAt: 0n,
    issuerDeactivatedAt: 0n,
    ...fields,
  };
}

/** `credentialStatus(...query)` as a plain object, to compare every field at once. */
async function statusOf(registry: { getFunction(name: string): (...args: unknown[]) => Promise<unknown> }, ...query: unknown[]): Promise<Record<string, unknown>> {
  return toPlain(await registry.getFunction("credentialStatus")(...query));
}

describe("CredentialRegistry", () => {
  describe("deployment and governance", () => {
    it("gives the default admin to the deployer's choice, with the transfer delay", async () => {
      const { registry, admin } = await deployRegistryFixture();
      expect(await registry.getFunction("defaultAdmin")()).to.equal(admin.address);
      expect(await registry.getFunction("defaultAdminDelay")()).to.equal(BigInt(ADMIN_DELAY));
      expect(await registry.getFunction("hasRole")(ZeroHash, admin.address)).to.equal(true);
    });

    it("exposes ACCREDITOR_ROLE, MAX_REASON and the interfaces it supports", async () => {
      const { registry, ACCREDITOR_ROLE } = await deployRegistryFixture();
      expect(ACCREDITOR_ROLE).to.equal(id("ACCREDITOR_ROLE"));
      expect(await registry.getFunction("getRoleAdmin")(ACCREDITOR_ROLE)).to.equal(ZeroHash);
      expect(await registry.getFunction("MAX_REASON")()).to.equal(BigInt(MAX_REASON));
      expect(MAX_REASON).to.equal(reasonCodes.length - 1);
      const registryInterfaceId = interfaceIdOf(registry.interface, [
        "ACCREDITOR_ROLE", "MAX_REASON", "accreditIssuer", "deactivateIssuer", "issuer", "anchorBatch", "revokeBatch",
        "revokeBatchOf", "batch", "revokeCredentials", "suspendCredentials", "reinstateCredentials",
        "revokeCredentialsOf", "suspendCredentialsOf", "reinstateCredentialsOf", "statusWords",
        "leafOf", "credentialStatus", "credentialStatuses",
      ]);
      expect(await registry.getFunction("supportsInterface")(registryInterfaceId)).to.equal(true);
      expect(await registry.getFunction("supportsInterface")("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await registry.getFunction("supportsInterface")("0x31498786")).to.equal(true); // IAccessControlDefaultAdminRules
      expect(await registry.getFunction("supportsInterface")("0xffffffff")).to.equal(false);
    });

    it("transfers the default admin only in two steps, after the delay", async () => {
      const { registry, as, admin, spare, networkHelpers } = await deployRegistryFixture();
      await expect(registry.getFunction("grantRole")(ZeroHash, spare.address)).to.be.revertedWithCustomError(
        registry,
        "AccessControlEnforcedDefaultAdminRules",
      );
      await (await registry.getFunction("beginDefaultAdminTransfer")(spare.address)).wait();
      const [, schedule] = (await registry.getFunction("pendingDefaultAdmin")()) as [string, bigint];
      await expect(as(spare).getFunction("acceptDefaultAdminTransfer")())
        .to.be.revertedWithCustomError(registry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs(schedule);
      await networkHelpers.time.increaseTo(schedule + 1n);
      await (await as(spare).getFunction("acceptDefaultAdminTransfer")()).wait();
      expect(await registry.getFunction("defaultAdmin")()).to.equal(spare.address);
      expect(await registry.getFunction("hasRole")(ZeroHash, admin.address)).to.equal(false);
    });

    it("lets only the admin grant and revoke ACCREDITOR_ROLE", async () => {
      const { registry, as, ACCREDITOR_ROLE, accreditor, outsider, spare } = await deployRegistryFixture();
      await expect(as(outsider).getFunction("grantRole")(ACCREDITOR_ROLE, spare.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ZeroHash);
      await expect(registry.getFunction("revokeRole")(ACCREDITOR_ROLE, accreditor.address))
        .to.emit(registry, "RoleRevoked")
        .withArgs(ACCREDITOR_ROLE, accreditor.address, await registry.getFunction("defaultAdmin")());
      await expect(as(accreditor).getFunction("accreditIssuer")(spare.address, "X", "https://x.example"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(accreditor.address, ACCREDITOR_ROLE);
    });
  });

  describe("accreditIssuer", () => {
    it("records the issuer and emits IssuerAccredited", async () => {
      const { registry, as, accreditor, spare, blockTime } = await deployRegistryFixture();
      const name = "Université de Lyon — Formation continue";
      const response = await as(accreditor).getFunction("accreditIssuer")(spare.address, name, "did:web:lyon.example");
      await expect(response)
        .to.emit(registry, "IssuerAccredited")
        .withArgs(spare.address, name, "did:web:lyon.example", accreditor.address);
      const accreditedAt = await blockTime(response);
      const record = await registry.getFunction("issuer")(spare.address);
      expect(record.name).to.equal(name);
      expect(record.profileId).to.equal("did:web:lyon.example");
      expect(record.accreditedAt).to.equal(BigInt(accreditedAt));
      expect(record.deactivatedAt).to.equal(0n);
      expect(record.deactivationReason).to.equal(0n);
    });

    it("answers an empty record for an unknown address", async () => {
      const { registry, outsider } = await deployRegistryFixture();
      const record = await registry.getFunction("issuer")(outsider.address);
      expect([record.name, record.profileId, record.accreditedAt, record.deactivatedAt]).to.deep.equal(["", "", 0n, 0n]);
    });

    it("is reserved to ACCREDITOR_ROLE (the admin alone cannot)", async () => {
      const { registry, as, ACCREDITOR_ROLE, admin, outsider, spare } = await deployRegistryFixture();
      for (const caller of [outsider, admin]) {
        await expect(as(caller).getFunction("accreditIssuer")(spare.address, "Spare", "https://spare.example"))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, ACCREDITOR_ROLE);
      }
    });

    it("rejects the zero address", async () => {
      const { registry, as, accreditor } = await deployRegistryFixture();
      await expect(as(accreditor).getFunction("accreditIssuer")(ZeroAddress, "Zero", "https://zero.example"))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidIssuer")
        .withArgs(ZeroAddress);
    });

    it("rejects an empty or over-long name, and accepts 128 bytes", async () => {
      const { registry, as, accreditor, spare } = await deployRegistryFixture();
      const accredit = as(accreditor).getFunction("accreditIssuer");
      await expect(accredit(spare.address, "", PROFILE_A))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidIssuerName")
        .withArgs(spare.address, 0n, 128n);
      await expect(accredit(spare.address, "é".repeat(64) + "x", PROFILE_A))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidIssuerName")
        .withArgs(spare.address, 129n, 128n);
      await expect(accredit(spare.address, "n".repeat(128), PROFILE_A)).to.emit(registry, "IssuerAccredited");
    });

    it("rejects an empty or over-long profile id, and accepts 256 bytes", async () => {
      const { registry, as, accreditor, spare } = await deployRegistryFixture();
      const accredit = as(accreditor).getFunction("accreditIssuer");
      await expect(accredit(spare.address, "Spare", ""))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidProfileId")
        .withArgs(spare.address, 0n, 256n);
      await expect(accredit(spare.address, "Spare", `https://${"p".repeat(249)}`))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidProfileId")
        .withArgs(spare.address, 257n, 256n);
      const longProfile = `https://${"p".repeat(248)}`;
      await expect(accredit(spare.address, "Spare", longProfile)).to.emit(registry, "IssuerAccredited");
      expect((await registry.getFunction("issuer")(spare.address)).profileId).to.equal(longProfile);
    });

    it("accredits an address once, ever: not again, and not after deactivation", async () => {
      const { registry, as, accreditor, issuerA } = await deployRegistryFixture();
      const { accreditedAt } = await registry.getFunction("issuer")(issuerA.address);
      const accredit = as(accreditor).getFunction("accreditIssuer");
      await expect(accredit(issuerA.address, "Again", PROFILE_A))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerAlreadyAccredited")
        .withArgs(issuerA.address, accreditedAt);
      await (await as(accreditor).getFunction("deactivateIssuer")(issuerA.address, 7)).wait();
      await expect(accredit(issuerA.address, "Revived", PROFILE_A))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerAlreadyAccredited")
        .withArgs(issuerA.address, accreditedAt);
    });

    it("lets several keys share one profile id (key rotation)", async () => {
      const { registry, as, accreditor, spare } = await deployRegistryFixture();
      await expect(as(accreditor).getFunction("accreditIssuer")(spare.address, "University A (2027 key)", PROFILE_A))
        .to.emit(registry, "IssuerAccredited")
        .withArgs(spare.address, "University A (2027 key)", PROFILE_A, accreditor.address);
    });
  });

  describe("deactivateIssuer", () => {
    it("records the time and reason and emits IssuerDeactivated", async () => {
      const { registry, as, accreditor, issuerA, blockTime } = await deployRegistryFixture();
      const response = await as(accreditor).getFunction("deactivateIssuer")(issuerA.address, 4);
      await expect(response).to.emit(registry, "IssuerDeactivated").withArgs(issuerA.address, 4n, accreditor.address);
      const record = await registry.getFunction("issuer")(issuerA.address);
      expect(record.deactivatedAt).to.equal(BigInt(await blockTime(response)));
      expect(record.deactivationReason).to.equal(4n);
      expect(record.name).to.equal("University A");
    });

    it("is reserved to ACCREDITOR_ROLE", async () => {
      const { registry, as, ACCREDITOR_ROLE, issuerA, issuerB, admin } = await deployRegistryFixture();
      for (const caller of [issuerB, issuerA, admin]) {
        await expect(as(caller).getFunction("deactivateIssuer")(issuerA.address, 0))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, ACCREDITOR_ROLE);
      }
    });

    it("rejects an unknown issuer, a second deactivation and an unknown reason", async () => {
      const { registry, as, accreditor, issuerA, outsider, blockTime } = await deployRegistryFixture();
      const deactivate = as(accreditor).getFunction("deactivateIssuer");
      await expect(deactivate(outsider.address, 0))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerNotAccredited")
        .withArgs(outsider.address);
      await expect(deactivate(issuerA.address, MAX_REASON + 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownReason")
        .withArgs(BigInt(MAX_REASON + 1), BigInt(MAX_REASON));
      const deactivatedAt = await blockTime(await deactivate(issuerA.address, 7));
      await expect(deactivate(issuerA.address, 7))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerDeactivated")
        .withArgs(issuerA.address, BigInt(deactivatedAt));
    });
  });

  describe("anchorBatch", () => {
    it("stores time, count and block in the batch and emits BatchAnchored", async () => {
      const { registry, as, issuerA, blockTime } = await deployRegistryFixture();
      const response = await as(issuerA).getFunction("anchorBatch")(ROOT, 1000);
      await expect(response).to.emit(registry, "BatchAnchored").withArgs(issuerA.address, ROOT, 1000n);
      const receipt = await response.wait();
      const stored = await registry.getFunction("batch")(issuerA.address, ROOT);
      expect(stored.anchoredAt).to.equal(BigInt(await blockTime(response)));
      expect(stored.leafCount).to.equal(1000n);
      expect(stored.anchoredBlock).to.equal(BigInt(receipt.blockNumber));
      expect(stored.revokedAt).to.equal(0n);
      expect(stored.revocationReason).to.equal(0n);
    });

    it("accepts the largest leaf count a uint32 holds", async () => {
      const { registry, as, issuerA } = await deployRegistryFixture();
      await expect(as(issuerA).getFunction("anchorBatch")(ROOT, 0xffffffff))
        .to.emit(registry, "BatchAnchored")
        .withArgs(issuerA.address, ROOT, 0xffffffffn);
      expect((await registry.getFunction("batch")(issuerA.address, ROOT)).leafCount).to.equal(0xffffffffn);
    });

    it("rejects a zero root and a zero count", async () => {
      const { registry, as, issuerA } = await deployRegistryFixture();
      const anchor = as(issuerA).getFunction("anchorBatch");
      await expect(anchor(ZeroHash, 5)).to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidBatch").withArgs(ZeroHash, 5n);
      await expect(anchor(ROOT, 0)).to.be.revertedWithCustomError(registry, "CredentialRegistryInvalidBatch").withArgs(ROOT, 0n);
    });

    it("rejects an address that is not an accredited issuer (outsider, admin, accreditor)", async () => {
      const { registry, as, outsider, admin, accreditor } = await deployRegistryFixture();
      for (const caller of [outsider, admin, accreditor]) {
        await expect(as(caller).getFunction("anchorBatch")(ROOT, 5))
          .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerNotAccredited")
          .withArgs(caller.address);
      }
    });

    it("rejects a root this issuer already anchored", async () => {
      const { registry, as, issuerA, anchoredAt } = await anchoredFixture();
      await expect(as(issuerA).getFunction("anchorBatch")(ROOT, 7))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchAlreadyAnchored")
        .withArgs(issuerA.address, ROOT, BigInt(anchoredAt));
      expect((await registry.getFunction("batch")(issuerA.address, ROOT)).leafCount).to.equal(1000n);
    });

    it("lets two issuers anchor the same root independently (no squatting)", async () => {
      const { registry, as, issuerA, issuerB } = await anchoredFixture(1000);
      await expect(as(issuerB).getFunction("anchorBatch")(ROOT, 3)).to.emit(registry, "BatchAnchored").withArgs(issuerB.address, ROOT, 3n);
      expect((await registry.getFunction("batch")(issuerA.address, ROOT)).leafCount).to.equal(1000n);
      expect((await registry.getFunction("batch")(issuerB.address, ROOT)).leafCount).to.equal(3n);
      await (await as(issuerB).getFunction("revokeBatch")(ROOT, 1)).wait();
      expect((await registry.getFunction("batch")(issuerA.address, ROOT)).revokedAt).to.equal(0n);
    });

    it("refuses a deactivated issuer", async () => {
      const { registry, as, issuerA, deactivatedAt } = await deactivatedFixture();
      await expect(as(issuerA).getFunction("anchorBatch")(OTHER_ROOT, 5))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerDeactivated")
        .withArgs(issuerA.address, BigInt(deactivatedAt));
    });

    it("does not let a root land on another storage slot: a root equal to a role slot grants nothing", async () => {
      // Batches live at keccak256(issuer ‖ root) (52-byte preimage); AccessControl's mappings use 64-byte preimages.
      const { registry, as, issuerA, ACCREDITOR_ROLE, ethers } = await deployRegistryFixture();
      const roleSlot = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [ACCREDITOR_ROLE, 0]));
      await (await as(issuerA).getFunction("anchorBatch")(roleSlot, 1)).wait();
      expect(await registry.getFunction("hasRole")(ACCREDITOR_ROLE, issuerA.address)).to.equal(false);
      expect(await registry.getFunction("hasRole")(ZeroHash, issuerA.address)).to.equal(false);
    });
  });

  describe("revokeBatch", () => {
    it("records time and reason, emits BatchRevoked with the issuer as actor, and shows in credentialStatus", async () => {
      const { registry, as, issuerA, blockTime, anchoredAt, anchoredBlock, issuerAAccreditedAt } = await anchoredFixture();
      const response = await as(issuerA).getFunction("revokeBatch")(ROOT, 1);
      await expect(response).to.emit(registry, "BatchRevoked").withArgs(issuerA.address, ROOT, 1n, issuerA.address);
      const revokedAt = BigInt(await blockTime(response));
      const stored = await registry.getFunction("batch")(issuerA.address, ROOT);
      expect([stored.revokedAt, stored.revocationReason, stored.leafCount]).to.deep.equal([revokedAt, 1n, 1000n]);
      // ROOT is a label, not a tree: the proof is not valid, and everything else is the batch's state.
      expect(await statusOf(registry, issuerA.address, ROOT, 0, bytes32("x"), [])).to.deep.equal(
        status({
          indexInRange: true,
          batchRevoked: true,
          leafCount: 1000n,
          anchoredAt: BigInt(anchoredAt),
          anchoredBlock,
          batchRevokedAt: revokedAt,
          batchRevocationReason: 1n,
          issuerAccreditedAt: issuerAAccreditedAt,
        }),
      );
    });

    it("rejects an unknown batch, another issuer's batch, a second revocation and an unknown reason", async () => {
      const { registry, as, issuerA, issuerB, blockTime } = await anchoredFixture();
      await expect(as(issuerA).getFunction("revokeBatch")(OTHER_ROOT, 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchNotFound")
        .withArgs(issuerA.address, OTHER_ROOT);
      await expect(as(issuerB).getFunction("revokeBatch")(ROOT, 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchNotFound")
        .withArgs(issuerB.address, ROOT);
      await expect(as(issuerA).getFunction("revokeBatch")(ROOT, 10))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownReason")
        .withArgs(10n, BigInt(MAX_REASON));
      const revokedAt = await blockTime(await as(issuerA).getFunction("revokeBatch")(ROOT, 2));
      await expect(as(issuerA).getFunction("revokeBatch")(ROOT, 2))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchRevoked")
        .withArgs(issuerA.address, ROOT, BigInt(revokedAt));
    });

    it("refuses outsiders and deactivated issuers", async () => {
      const { registry, as, issuerA, outsider, deactivatedAt } = await deactivatedFixture();
      await expect(as(outsider).getFunction("revokeBatch")(ROOT, 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerNotAccredited")
        .withArgs(outsider.address);
      await expect(as(issuerA).getFunction("revokeBatch")(ROOT, 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerDeactivated")
        .withArgs(issuerA.address, BigInt(deactivatedAt));
    });

    it("revokeBatchOf: an accreditor revokes a deactivated issuer's batch, never an active one's", async () => {
      const { registry, as, ACCREDITOR_ROLE, accreditor, issuerA, issuerB, outsider } = await deactivatedFixture();
      await (await as(issuerB).getFunction("anchorBatch")(ROOT, 2)).wait();
      await expect(as(accreditor).getFunction("revokeBatchOf")(issuerB.address, ROOT, 3))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerActive")
        .withArgs(issuerB.address);
      await expect(as(accreditor).getFunction("revokeBatchOf")(outsider.address, ROOT, 3))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerNotAccredited")
        .withArgs(outsider.address);
      await expect(as(outsider).getFunction("revokeBatchOf")(issuerA.address, ROOT, 3))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, ACCREDITOR_ROLE);
      await expect(as(accreditor).getFunction("revokeBatchOf")(issuerA.address, ROOT, 3))
        .to.emit(registry, "BatchRevoked")
        .withArgs(issuerA.address, ROOT, 3n, accreditor.address);
      expect((await registry.getFunction("batch")(issuerB.address, ROOT)).revokedAt).to.equal(0n);
    });
  });

  describe("revokeCredentials", () => {
    it("sets one bit per index across words and emits one CredentialRevoked per index", async () => {
      const { registry, as, issuerA } = await anchoredFixture(1000);
      const indices = [0, 255, 256, 511, 999];
      const response = await as(issuerA).getFunction("revokeCredentials")(ROOT, indices, 3);
      for (const index of indices) {
        await expect(response).to.emit(registry, "CredentialRevoked").withArgs(issuerA.address, ROOT, BigInt(index), 3n);
      }
      const receipt = await response.wait();
      expect(receipt.logs.length).to.equal(indices.length);
      const word0 = await revocationWord(registry, issuerA.address, ROOT, 0);
      const word1 = await revocationWord(registry, issuerA.address, ROOT, 1);
      const word3 = await revocationWord(registry, issuerA.address, ROOT, 3);
      expect(word0).to.equal((1n << 255n) | 1n);
      expect(word1).to.equal((1n << 255n) | 1n);
      expect(word3).to.equal(1n << BigInt(999 - 768));
      expect(bit(word3, 999 - 768)).to.equal(true);
      expect(await suspensionWord(registry, issuerA.address, ROOT, 0)).to.equal(0n);
    });

    it("rejects empty, out-of-range, already-revoked and duplicate indices, changing nothing", async () => {
      const { registry, as, issuerA } = await anchoredFixture(10);
      const revoke = as(issuerA).getFunction("revokeCredentials");
      await expect(revoke(ROOT, [], 1)).to.be.revertedWithCustomError(registry, "CredentialRegistryNoIndices").withArgs(issuerA.address, ROOT);
      await expect(revoke(ROOT, [1, 10], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIndexOutOfRange")
        .withArgs(issuerA.address, ROOT, 10n, 10n);
      await expect(revoke(ROOT, [2n ** 255n], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIndexOutOfRange")
        .withArgs(issuerA.address, ROOT, 2n ** 255n, 10n);
      await expect(revoke(ROOT, [4, 5, 4], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialRevoked")
        .withArgs(issuerA.address, ROOT, 4n);
      expect(await revocationWord(registry, issuerA.address, ROOT, 0)).to.equal(0n);
      await (await revoke(ROOT, [4], 1)).wait();
      await expect(revoke(ROOT, [3, 4], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialRevoked")
        .withArgs(issuerA.address, ROOT, 4n);
      expect(await revocationWord(registry, issuerA.address, ROOT, 0)).to.equal(1n << 4n);
    });

    it("rejects an unknown reason, an unknown batch and a revoked batch", async () => {
      const { registry, as, issuerA, blockTime } = await anchoredFixture(10);
      const revoke = as(issuerA).getFunction("revokeCredentials");
      await expect(revoke(ROOT, [1], 255)).to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownReason").withArgs(255n, BigInt(MAX_REASON));
      await expect(revoke(OTHER_ROOT, [1], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchNotFound")
        .withArgs(issuerA.address, OTHER_ROOT);
      const revokedAt = await blockTime(await as(issuerA).getFunction("revokeBatch")(ROOT, 2));
      await expect(revoke(ROOT, [1], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchRevoked")
        .withArgs(issuerA.address, ROOT, BigInt(revokedAt));
    });

    it("lets nobody but the batch's issuer change it: another issuer, an accreditor, the admin, an outsider", async () => {
      const { registry, as, issuerB, accreditor, admin, outsider } = await anchoredFixture(10);
      await expect(as(issuerB).getFunction("revokeCredentials")(ROOT, [1], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchNotFound")
        .withArgs(issuerB.address, ROOT);
      for (const caller of [accreditor, admin, outsider]) {
        for (const method of ["revokeCredentials", "suspendCredentials", "reinstateCredentials"]) {
          await expect(as(caller).getFunction(method)(ROOT, [1], 1))
            .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerNotAccredited")
            .withArgs(caller.address);
        }
      }
    });

    it("revokes a suspended credential, which then can be neither reinstated nor suspended", async () => {
      const { registry, as, issuerA, anchoredAt, anchoredBlock, issuerAAccreditedAt } = await anchoredFixture(10);
      const issuer = as(issuerA);
      await (await issuer.getFunction("suspendCredentials")(ROOT, [6], 8)).wait();
      await expect(issuer.getFunction("revokeCredentials")(ROOT, [6], 3))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(issuerA.address, ROOT, 6n, 3n);
      await expect(issuer.getFunction("reinstateCredentials")(ROOT, [6], 9))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialRevoked")
        .withArgs(issuerA.address, ROOT, 6n);
      expect(await statusOf(registry, issuerA.address, ROOT, 6, bytes32("h"), [])).to.deep.equal(
        status({ indexInRange: true, revoked: true, suspended: true, leafCount: 10n, anchoredAt: BigInt(anchoredAt), anchoredBlock, issuerAccreditedAt: issuerAAccreditedAt }),
      );
    });
  });

  describe("suspendCredentials and reinstateCredentials", () => {
    it("suspends and reinstates, reversibly, with one event per index", async () => {
      const { registry, as, issuerA } = await anchoredFixture(600);
      const issuer = as(issuerA);
      const suspend = await issuer.getFunction("suspendCredentials")(ROOT, [1, 300], 8);
      await expect(suspend).to.emit(registry, "CredentialSuspended").withArgs(issuerA.address, ROOT, 1n, 8n);
      await expect(suspend).to.emit(registry, "CredentialSuspended").withArgs(issuerA.address, ROOT, 300n, 8n);
      expect(await suspensionWord(registry, issuerA.address, ROOT, 0)).to.equal(2n);
      expect(await suspensionWord(registry, issuerA.address, ROOT, 1)).to.equal(1n << 44n);
      const reinstate = await issuer.getFunction("reinstateCredentials")(ROOT, [300], 9);
      await expect(reinstate).to.emit(registry, "CredentialReinstated").withArgs(issuerA.address, ROOT, 300n, 9n);
      expect(await suspensionWord(registry, issuerA.address, ROOT, 1)).to.equal(0n);
      expect(await suspensionWord(registry, issuerA.address, ROOT, 0)).to.equal(2n);
      await expect(issuer.getFunction("suspendCredentials")(ROOT, [300], 8)).to.emit(registry, "CredentialSuspended");
      expect(await revocationWord(registry, issuerA.address, ROOT, 1)).to.equal(0n);
    });

    it("rejects suspending a suspended or revoked credential, and reinstating one that is not suspended", async () => {
      const { registry, as, issuerA } = await anchoredFixture(10);
      const issuer = as(issuerA);
      await (await issuer.getFunction("suspendCredentials")(ROOT, [2], 8)).wait();
      await (await issuer.getFunction("revokeCredentials")(ROOT, [3], 1)).wait();
      await expect(issuer.getFunction("suspendCredentials")(ROOT, [2], 8))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialSuspended")
        .withArgs(issuerA.address, ROOT, 2n);
      await expect(issuer.getFunction("suspendCredentials")(ROOT, [3], 8))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialRevoked")
        .withArgs(issuerA.address, ROOT, 3n);
      await expect(issuer.getFunction("reinstateCredentials")(ROOT, [4], 9))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialNotSuspended")
        .withArgs(issuerA.address, ROOT, 4n);
      await expect(issuer.getFunction("reinstateCredentials")(ROOT, [2, 2], 9))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialNotSuspended")
        .withArgs(issuerA.address, ROOT, 2n);
      await expect(issuer.getFunction("suspendCredentials")(ROOT, [10], 8))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryIndexOutOfRange")
        .withArgs(issuerA.address, ROOT, 10n, 10n);
      await expect(issuer.getFunction("reinstateCredentials")(ROOT, [], 9))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryNoIndices")
        .withArgs(issuerA.address, ROOT);
      await expect(issuer.getFunction("suspendCredentials")(ROOT, [1], 11))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryUnknownReason")
        .withArgs(11n, BigInt(MAX_REASON));
      expect(await suspensionWord(registry, issuerA.address, ROOT, 0)).to.equal(1n << 2n);
    });

    it("refuses status changes in a revoked batch", async () => {
      const { registry, as, issuerA, blockTime } = await anchoredFixture(10);
      await (await as(issuerA).getFunction("suspendCredentials")(ROOT, [1], 8)).wait();
      const revokedAt = BigInt(await blockTime(await as(issuerA).getFunction("revokeBatch")(ROOT, 1)));
      for (const method of ["suspendCredentials", "reinstateCredentials"]) {
        await expect(as(issuerA).getFunction(method)(ROOT, [1], 9))
          .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchRevoked")
          .withArgs(issuerA.address, ROOT, revokedAt);
      }
    });
  });

  describe("after deactivation", () => {
    it("the issuer can change no status at all", async () => {
      const { registry, as, issuerA, deactivatedAt } = await deactivatedFixture();
      for (const method of ["revokeCredentials", "suspendCredentials", "reinstateCredentials"]) {
        await expect(as(issuerA).getFunction(method)(ROOT, [1], 1))
          .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerDeactivated")
          .withArgs(issuerA.address, BigInt(deactivatedAt));
      }
    });

    it("an accreditor revokes, suspends and reinstates, and each call names the accreditor", async () => {
      const { registry, as, accreditor, issuerA } = await deactivatedFixture();
      const accreditorRegistry = as(accreditor);
      const revoke = await accreditorRegistry.getFunction("revokeCredentialsOf")(issuerA.address, ROOT, [1, 2], 3);
      await expect(revoke).to.emit(registry, "CredentialRevoked").withArgs(issuerA.address, ROOT, 1n, 3n);
      await expect(revoke).to.emit(registry, "CredentialRevoked").withArgs(issuerA.address, ROOT, 2n, 3n);
      await expect(revoke).to.emit(registry, "StatusChangedByAccreditor").withArgs(issuerA.address, ROOT, accreditor.address, 2n);
      const suspend = await accreditorRegistry.getFunction("suspendCredentialsOf")(issuerA.address, ROOT, [5], 8);
      await expect(suspend).to.emit(registry, "CredentialSuspended").withArgs(issuerA.address, ROOT, 5n, 8n);
      await expect(suspend).to.emit(registry, "StatusChangedByAccreditor").withArgs(issuerA.address, ROOT, accreditor.address, 1n);
      const reinstate = await accreditorRegistry.getFunction("reinstateCredentialsOf")(issuerA.address, ROOT, [5], 9);
      await expect(reinstate).to.emit(registry, "CredentialReinstated").withArgs(issuerA.address, ROOT, 5n, 9n);
      await expect(reinstate).to.emit(registry, "StatusChangedByAccreditor").withArgs(issuerA.address, ROOT, accreditor.address, 1n);
      expect(await revocationWord(registry, issuerA.address, ROOT, 0)).to.equal(6n);
      expect(await suspensionWord(registry, issuerA.address, ROOT, 0)).to.equal(0n);
      await expect(accreditorRegistry.getFunction("revokeCredentialsOf")(issuerA.address, ROOT, [2], 3))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialRevoked")
        .withArgs(issuerA.address, ROOT, 2n);
    });

    it("the ...Of functions refuse an active or unknown issuer and anyone without ACCREDITOR_ROLE", async () => {
      const { registry, as, ACCREDITOR_ROLE, accreditor, issuerA, issuerB, outsider, admin } = await deactivatedFixture();
      for (const method of ["revokeCredentialsOf", "suspendCredentialsOf", "reinstateCredentialsOf"]) {
        await expect(as(accreditor).getFunction(method)(issuerB.address, ROOT, [1], 1))
          .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerActive")
          .withArgs(issuerB.address);
        await expect(as(accreditor).getFunction(method)(outsider.address, ROOT, [1], 1))
          .to.be.revertedWithCustomError(registry, "CredentialRegistryIssuerNotAccredited")
          .withArgs(outsider.address);
        for (const caller of [issuerA, issuerB, admin, outsider]) {
          await expect(as(caller).getFunction(method)(issuerA.address, ROOT, [1], 1))
            .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, ACCREDITOR_ROLE);
        }
      }
    });

    it("batches anchored before deactivation still verify, and report the deactivation time", async () => {
      const { registry, as, accreditor, issuerA, blockTime } = await deployRegistryFixture();
      // A one-credential batch: its root is the leaf itself, its proof empty.
      const hash = bytes32("credential-0");
      const root = credentialLeaf(0, hash);
      const anchor = await as(issuerA).getFunction("anchorBatch")(root, 1);
      const anchoredAt = BigInt(await blockTime(anchor));
      const { blockNumber } = (await anchor.wait()) as { blockNumber: number };
      const deactivatedAt = BigInt(await blockTime(await as(accreditor).getFunction("deactivateIssuer")(issuerA.address, 4)));
      const { accreditedAt } = (await registry.getFunction("issuer")(issuerA.address)) as { accreditedAt: bigint };
      expect(anchoredAt <= deactivatedAt).to.equal(true);
      const batchFields = { indexInRange: true, leafCount: 1n, anchoredAt, anchoredBlock: BigInt(blockNumber), issuerAccreditedAt: accreditedAt, issuerDeactivatedAt: deactivatedAt };
      expect(await statusOf(registry, issuerA.address, root, 0, hash, [])).to.deep.equal(status({ ...batchFields, proofValid: true }));
      expect(await statusOf(registry, issuerA.address, root, 0, bytes32("credential-1"), [])).to.deep.equal(status(batchFields));
      // An accreditor acts only on batches the issuer anchored: an unknown root is refused.
      await expect(as(accreditor).getFunction("revokeCredentialsOf")(issuerA.address, OTHER_ROOT, [0], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchNotFound")
        .withArgs(issuerA.address, OTHER_ROOT);
    });
  });

  describe("credentialStatus and credentialStatuses", () => {
    it("never reverts for unknown input; it reports zeros", async () => {
      const { registry, outsider } = await deployRegistryFixture();
      const garbageProof = [bytes32("a"), bytes32("b"), ZeroHash];
      expect(await statusOf(registry, outsider.address, ZeroHash, 2n ** 256n - 1n, ZeroHash, garbageProof)).to.deep.equal(status({}));
      expect(await registry.getFunction("credentialStatuses")([])).to.deep.equal([]);
    });

    it("verifies a one-credential batch (root = leaf, empty proof) and rejects the wrong hash or index", async () => {
      const { registry, as, issuerA, issuerB, blockTime } = await deployRegistryFixture();
      const hash = bytes32("only");
      const root = credentialLeaf(0, hash);
      const response = await as(issuerA).getFunction("anchorBatch")(root, 1);
      const { blockNumber } = await response.wait();
      const anchoredAt = BigInt(await blockTime(response));
      const accreditedAt = async (issuer: { address: string }) => ((await registry.getFunction("issuer")(issuer.address)) as { accreditedAt: bigint }).accreditedAt;
      const batchFields = { leafCount: 1n, anchoredAt, anchoredBlock: BigInt(blockNumber), issuerAccreditedAt: await accreditedAt(issuerA) };
      expect(batchFields.issuerAccreditedAt > 0n).to.equal(true);
      expect(await statusOf(registry, issuerA.address, root, 0, hash, [])).to.deep.equal(status({ ...batchFields, proofValid: true, indexInRange: true }));
      expect(await statusOf(registry, issuerA.address, root, 0, bytes32("other"), [])).to.deep.equal(status({ ...batchFields, indexInRange: true }));
      expect(await statusOf(registry, issuerA.address, root, 1, hash, [])).to.deep.equal(status(batchFields)); // index 1: wrong leaf, out of range
      // The proof is fine, but B never anchored this root.
      expect(await statusOf(registry, issuerB.address, root, 0, hash, [])).to.deep.equal(status({ proofValid: true, issuerAccreditedAt: await accreditedAt(issuerB) }));
    });

    it("leafOf computes the leaf exactly as the TypeScript library does", async () => {
      const { registry } = await deployRegistryFixture();
      for (const [index, hash] of [[0, ZeroHash], [1, bytes32("h")], [4294967294, bytes32("max")]] as const) {
        expect(await registry.getFunction("leafOf")(index, hash)).to.equal(credentialLeaf(index, hash));
      }
    });

    it("the bulk view answers exactly what the single view answers, query by query", async () => {
      const { registry, as, blockTime, issuerA, issuerB, outsider, anchoredAt, anchoredBlock, issuerAAccreditedAt } = await anchoredFixture(300);
      await (await as(issuerA).getFunction("revokeCredentials")(ROOT, [7], 1)).wait();
      await (await as(issuerA).getFunction("suspendCredentials")(ROOT, [8, 299], 8)).wait();
      const anchorB = await as(issuerB).getFunction("anchorBatch")(ROOT, 3);
      const revokeB = await as(issuerB).getFunction("revokeBatch")(ROOT, 2);
      // A real tree too, so that genuine proofs are asked about beside wrong ones.
      const hashes = Array.from({ length: 5 }, (_, index) => bytes32(`tree ${index}`));
      const tree = buildCredentialTree(hashes);
      const anchorTree = await as(issuerA).getFunction("anchorBatch")(tree.root, 5);
      await (await as(issuerA).getFunction("revokeCredentials")(tree.root, [3], 1)).wait();
      const { accreditedAt: issuerBAccreditedAt } = (await registry.getFunction("issuer")(issuerB.address)) as { accreditedAt: bigint };
      const blockOf = async (response: { wait(): Promise<unknown> }) => BigInt(((await response.wait()) as { blockNumber: number }).blockNumber);
      const batchA = { leafCount: 300n, anchoredAt: BigInt(anchoredAt), anchoredBlock, issuerAccreditedAt: issuerAAccreditedAt };
      const batchB = { leafCount: 3n, anchoredAt: BigInt(await blockTime(anchorB)), anchoredBlock: await blockOf(anchorB), batchRevoked: true, batchRevokedAt: BigInt(await blockTime(revokeB)), batchRevocationReason: 2n, issuerAccreditedAt: issuerBAccreditedAt };
      const treeBatch = { leafCount: 5n, anchoredAt: BigInt(await blockTime(anchorTree)), anchoredBlock: await blockOf(anchorTree), issuerAccreditedAt: issuerAAccreditedAt };
      const cases = [
        [[issuerA.address, ROOT, 7n, bytes32(1), []], status({ ...batchA, indexInRange: true, revoked: true })],
        [[issuerA.address, ROOT, 8n, bytes32(2), [bytes32(3)]], status({ ...batchA, indexInRange: true, suspended: true })],
        [[issuerA.address, ROOT, 299n, bytes32(2), []], status({ ...batchA, indexInRange: true, suspended: true })],
        [[issuerA.address, ROOT, 300n, bytes32(2), []], status(batchA)],
        [[issuerB.address, ROOT, 1n, bytes32(4), []], status({ ...batchB, indexInRange: true })],
        [[outsider.address, OTHER_ROOT, 0n, ZeroHash, []], status({})],
        [[issuerA.address, tree.root, 2n, hashes[2], tree.proof(2)], status({ ...treeBatch, proofValid: true, indexInRange: true })],
        [[issuerA.address, tree.root, 3n, hashes[3], tree.proof(3)], status({ ...treeBatch, proofValid: true, indexInRange: true, revoked: true })],
        [[issuerA.address, tree.root, 2n, hashes[3], tree.proof(2)], status({ ...treeBatch, indexInRange: true })],
        [[issuerA.address, tree.root, 4n, hashes[4], tree.proof(3)], status({ ...treeBatch, indexInRange: true })],
      ] as const;
      const bulk = (await registry.getFunction("credentialStatuses")(cases.map(([query]) => query))) as unknown[];
      expect(bulk.length).to.equal(cases.length);
      for (const [position, [query, expected]] of cases.entries()) {
        expect(toPlain(bulk[position]), `query ${position}`).to.deep.equal(expected);
        expect(await statusOf(registry, ...query), `query ${position}`).to.deep.equal(expected);
      }
    });
  });

  describe("invariants under a random sequence of actions", () => {
    it("matches a model: revocation is final; only the batch's active issuer (or, after deactivation, an accreditor) changes it", async () => {
      const { registry, as, blockTime, accreditor, issuerA, issuerB, outsider } = await anchoredFixture(600);
      await (await as(issuerB).getFunction("anchorBatch")(ROOT, 600)).wait();
      const random = seededRandom(20261121);
      const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      type Model = { revoked: Set<number>; suspended: Set<number>; batchRevokedAt: bigint | undefined; deactivatedAt: bigint | undefined };
      const model = new Map<string, Model>([
        [issuerA.address, { revoked: new Set(), suspended: new Set(), batchRevokedAt: undefined, deactivatedAt: undefined }],
        [issuerB.address, { revoked: new Set(), suspended: new Set(), batchRevokedAt: undefined, deactivatedAt: undefined }],
      ]);
      const everRevoked = new Map<string, Set<number>>([[issuerA.address, new Set()], [issuerB.address, new Set()]]);
      const rejectedWith = new Map<string, number>();
      let succeeded = 0;
      let rejected = 0;
      let accreditorChanges = 0;

      for (let step = 0; step < 180; step += 1) {
        // Step 100 deactivates issuer A, so that both regimes (issuer active, accreditor after deactivation) run.
        const actor = step === 100 ? accreditor : pick([issuerA, issuerB, accreditor, outsider]);
        const viaAccreditor = actor === accreditor;
        // An issuer can only ever name its own batches (they are keyed by msg.sender); an outsider has none.
        const target = step === 100 ? issuerA : viaAccreditor ? pick([issuerA, issuerB]) : actor === outsider ? issuerA : actor;
        // Batch revocation and deactivation end a lot of possibilities: they only come late.
        const actions = ["revoke", "suspend", "reinstate", "reinstate"];
        if (step > 150) actions.push("revokeBatch");
        if (viaAccreditor && step > 120) actions.push("deactivate");
        const action = step === 100 ? "deactivate" : step < 8 ? "suspend" : pick(actions);
        const indices = Array.from({ length: 1 + Math.floor(random() * 3) }, () => Math.floor(random() * 40) * 15);
        const state = model.get(target.address)!;

        // The model predicts the exact error, checked in the contract's order: caller's role and the issuer's state
        // first, then the batch, then each index in turn (the first that fails names itself).
        const revoked = new Set(state.revoked);
        const suspended = new Set(state.suspended);
        const expectedError = ((): [name: string, ...args: unknown[]] | undefined => {
          if (action === "deactivate") {
            return state.deactivatedAt === undefined ? undefined : ["CredentialRegistryIssuerDeactivated", target.address, state.deactivatedAt];
          }
          if (actor === outsider) return ["CredentialRegistryIssuerNotAccredited", outsider.address];
          if (viaAccreditor && state.deactivatedAt === undefined) return ["CredentialRegistryIssuerActive", target.address];
          if (!viaAccreditor && state.deactivatedAt !== undefined) return ["CredentialRegistryIssuerDeactivated", target.address, state.deactivatedAt];
          if (state.batchRevokedAt !== undefined) return ["CredentialRegistryBatchRevoked", target.address, ROOT, state.batchRevokedAt];
          if (action === "revokeBatch") return undefined;
          for (const index of indices) {
            if (revoked.has(index)) return ["CredentialRegistryCredentialRevoked", target.address, ROOT, BigInt(index)];
            if (action === "revoke") revoked.add(index);
            else if (action === "suspend") {
              if (suspended.has(index)) return ["CredentialRegistryCredentialSuspended", target.address, ROOT, BigInt(index)];
              suspended.add(index);
            } else {
              if (!suspended.has(index)) return ["CredentialRegistryCredentialNotSuspended", target.address, ROOT, BigInt(index)];
              suspended.delete(index);
            }
          }
          return undefined;
        })();

        const contract = as(actor);
        const send = (): Promise<{ wait(): Promise<unknown> }> => {
          if (action === "deactivate") return contract.getFunction("deactivateIssuer")(target.address, 4);
          if (action === "revokeBatch") {
            return viaAccreditor
              ? contract.getFunction("revokeBatchOf")(target.address, ROOT, 1)
              : contract.getFunction("revokeBatch")(ROOT, 1);
          }
          return viaAccreditor
            ? contract.getFunction(`${action}CredentialsOf`)(target.address, ROOT, indices, 1)
            : contract.getFunction(`${action}Credentials`)(ROOT, indices, 1);
        };
        const label = `step ${step}: ${actor.address.slice(0, 8)} ${action} on ${target.address.slice(0, 8)} [${indices}]`;
        if (expectedError !== undefined) {
          const [name, ...args] = expectedError;
          await expect(send(), label).to.be.revertedWithCustomError(registry, name).withArgs(...args);
          rejected += 1;
          rejectedWith.set(name, (rejectedWith.get(name) ?? 0) + 1);
          continue;
        }
        const response = await send();
        const time = BigInt(await blockTime(response));
        succeeded += 1;
        if (action === "deactivate") {
          await expect(response, label).to.emit(registry, "IssuerDeactivated").withArgs(target.address, 4n, accreditor.address);
          state.deactivatedAt = time;
        } else if (action === "revokeBatch") {
          await expect(response, label).to.emit(registry, "BatchRevoked").withArgs(target.address, ROOT, 1n, actor.address);
          state.batchRevokedAt = time;
        } else {
          if (viaAccreditor) {
            accreditorChanges += 1;
            await expect(response, label).to.emit(registry, "StatusChangedByAccreditor").withArgs(target.address, ROOT, accreditor.address, BigInt(indices.length));
          }
          state.revoked = revoked;
          state.suspended = suspended;
          for (const index of revoked) everRevoked.get(target.address)!.add(index);
        }
      }

      for (const issuer of [issuerA, issuerB]) {
        const state = model.get(issuer.address)!;
        for (let word = 0; word < 3; word += 1) {
          const onChainRevoked = await revocationWord(registry, issuer.address, ROOT, word);
          const onChainSuspended = await suspensionWord(registry, issuer.address, ROOT, word);
          expect(onChainRevoked, `revocation word ${word} of ${issuer.address}`).to.equal(toWord(state.revoked, word));
          expect(onChainSuspended, `suspension word ${word} of ${issuer.address}`).to.equal(toWord(state.suspended, word));
        }
        expect([...everRevoked.get(issuer.address)!].every((index) => state.revoked.has(index))).to.equal(true);
        const stored = await registry.getFunction("batch")(issuer.address, ROOT);
        expect(stored.revokedAt).to.equal(state.batchRevokedAt ?? 0n);
        expect((await registry.getFunction("issuer")(issuer.address)).deactivatedAt).to.equal(state.deactivatedAt ?? 0n);
      }
      // Both regimes were exercised: issuers acting while active, accreditors acting after deactivation; and the
      // refusals were of many kinds (a revoked batch's refusal has its own test above).
      expect(succeeded).to.be.greaterThan(20);
      expect(rejected).to.be.greaterThan(20);
      expect(accreditorChanges).to.be.greaterThan(0);
      expect([...rejectedWith.keys()].sort()).to.deep.equal([
        "CredentialRegistryCredentialNotSuspended",
        "CredentialRegistryCredentialRevoked",
        "CredentialRegistryCredentialSuspended",
        "CredentialRegistryIssuerActive",
        "CredentialRegistryIssuerDeactivated",
        "CredentialRegistryIssuerNotAccredited",
      ]);
    });
  });
});

function toWord(indices: ReadonlySet<number>, word: number): bigint {
  let bits = 0n;
  for (const index of indices) if (index >> 8 === word) bits |= 1n << BigInt(index & 0xff);
  return bits;
}

function toPlain(value: unknown): Record<string, unknown> {
  const result = value as { toObject(): Record<string, unknown> };
  return result.toObject();
}

/** ERC-165 id: XOR of the selectors of `names`. */
function interfaceIdOf(contractInterface: Interface, names: readonly string[]): string {
  let id = 0;
  for (const name of names) {
    const fragment = contractInterface.getFunction(name);
    if (!fragment) throw new Error(`no function ${name}`);
    id ^= Number.parseInt(fragment.selector.slice(2), 16);
  }
  return `0x${(id >>> 0).toString(16).padStart(8, "0")}`;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

