import { expect } from "chai";
import { type Interface, ZeroAddress, ZeroHash, id } from "ethers";
import { describe, it } from "vitest";
import { MAX_REASON, reasonCodes } from "../../src/chain/reasonCodes.ts";
import { credentialLeaf } from "../../src/merkle/credentialLeaf.ts";
import { ADMIN_DELAY, PROFILE_A, bytes32, deployRegistryFixture } from "../helpers/registryFixture.ts";

const ROOT = bytes32("root-1");
const OTHER_ROOT = bytes32("root-2");

/** Fixture plus one batch of `leafCount` anchored by issuer A under ROOT. */
async function anchoredFixture(leafCount = 1000) {
  const fixture = await deployRegistryFixture();
  const response = await fixture.as(fixture.issuerA).getFunction("anchorBatch")(ROOT, leafCount);
  const anchoredAt = await fixture.blockTime(response);
  return { ...fixture, anchoredAt };
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
      const { registry, as, issuerA, blockTime } = await anchoredFixture();
      const response = await as(issuerA).getFunction("revokeBatch")(ROOT, 1);
      await expect(response).to.emit(registry, "BatchRevoked").withArgs(issuerA.address, ROOT, 1n, issuerA.address);
      const revokedAt = BigInt(await blockTime(response));
      const stored = await registry.getFunction("batch")(issuerA.address, ROOT);
      expect([stored.revokedAt, stored.revocationReason, stored.leafCount]).to.deep.equal([revokedAt, 1n, 1000n]);
      const status = await registry.getFunction("credentialStatus")(issuerA.address, ROOT, 0, bytes32("x"), []);
      expect([status.batchRevoked, status.batchRevokedAt, status.batchRevocationReason]).to.deep.equal([true, revokedAt, 1n]);
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
      const { registry, as, issuerA } = await anchoredFixture(10);
      const issuer = as(issuerA);
      await (await issuer.getFunction("suspendCredentials")(ROOT, [6], 8)).wait();
      await expect(issuer.getFunction("revokeCredentials")(ROOT, [6], 3))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(issuerA.address, ROOT, 6n, 3n);
      await expect(issuer.getFunction("reinstateCredentials")(ROOT, [6], 9))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryCredentialRevoked")
        .withArgs(issuerA.address, ROOT, 6n);
      const status = await registry.getFunction("credentialStatus")(issuerA.address, ROOT, 6, bytes32("h"), []);
      expect([status.revoked, status.suspended]).to.deep.equal([true, true]);
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
      const { registry, issuerA, anchoredAt, deactivatedAt, accreditor, as } = await deactivatedFixture();
      const hash = bytes32("credential-0");
      const proof: string[] = [];
      // a one-leaf batch anchored before deactivation: its root is the leaf itself
      const fixtureRoot = credentialLeaf(0, hash);
      expect(fixtureRoot).to.not.equal(ROOT);
      await expect(as(accreditor).getFunction("revokeCredentialsOf")(issuerA.address, fixtureRoot, [0], 1))
        .to.be.revertedWithCustomError(registry, "CredentialRegistryBatchNotFound")
        .withArgs(issuerA.address, fixtureRoot);
      const status = await registry.getFunction("credentialStatus")(issuerA.address, ROOT, 0, hash, proof);
      expect(status.anchoredAt).to.equal(BigInt(anchoredAt));
      expect(status.issuerDeactivatedAt).to.equal(BigInt(deactivatedAt));
      expect(status.anchoredAt < status.issuerDeactivatedAt || status.anchoredAt === status.issuerDeactivatedAt).to.equal(true);
      expect([status.revoked, status.suspended, status.batchRevoked, status.indexInRange]).to.deep.equal([false, false, false, true]);
    });
  });

  describe("credentialStatus and credentialStatuses", () => {
    it("never reverts for unknown input; it reports zeros", async () => {
      const { registry, outsider } = await deployRegistryFixture();
      const garbageProof = [bytes32("a"), bytes32("b"), ZeroHash];
      const status = await registry.getFunction("credentialStatus")(outsider.address, ZeroHash, 2n ** 256n - 1n, ZeroHash, garbageProof);
      expect(status.proofValid).to.equal(false);
      expect(status.indexInRange).to.equal(false);
      expect([status.revoked, status.suspended, status.batchRevoked]).to.deep.equal([false, false, false]);
      expect([status.leafCount, status.anchoredAt, status.anchoredBlock, status.issuerAccreditedAt, status.issuerDeactivatedAt])
        .to.deep.equal([0n, 0n, 0n, 0n, 0n]);
      expect(await registry.getFunction("credentialStatuses")([])).to.deep.equal([]);
    });

    it("verifies a one-credential batch (root = leaf, empty proof) and rejects the wrong hash or index", async () => {
      const { registry, as, issuerA, issuerB, accreditor } = await deployRegistryFixture();
      const hash = bytes32("only");
      const root = credentialLeaf(0, hash);
      const response = await as(issuerA).getFunction("anchorBatch")(root, 1);
      const { blockNumber } = await response.wait();
      const status = await registry.getFunction("credentialStatus")(issuerA.address, root, 0, hash, []);
      expect([status.proofValid, status.indexInRange, status.leafCount, status.anchoredBlock]).to.deep.equal([true, true, 1n, BigInt(blockNumber)]);
      expect(status.issuerAccreditedAt > 0n).to.equal(true);
      expect((await registry.getFunction("credentialStatus")(issuerA.address, root, 0, bytes32("other"), [])).proofValid).to.equal(false);
      expect((await registry.getFunction("credentialStatus")(issuerA.address, root, 1, hash, [])).proofValid).to.equal(false);
      const other = await registry.getFunction("credentialStatus")(issuerB.address, root, 0, hash, []);
      expect([other.proofValid, other.anchoredAt]).to.deep.equal([true, 0n]); // the proof is fine, but B never anchored it
      expect(accreditor.address).to.not.equal(issuerA.address);
    });

    it("leafOf computes the leaf exactly as the TypeScript library does", async () => {
      const { registry } = await deployRegistryFixture();
      for (const [index, hash] of [[0, ZeroHash], [1, bytes32("h")], [4294967294, bytes32("max")]] as const) {
        expect(await registry.getFunction("leafOf")(index, hash)).to.equal(credentialLeaf(index, hash));
      }
    });

    it("the bulk view answers exactly what the single view answers, query by query", async () => {
      const { registry, as, issuerA, issuerB, outsider } = await anchoredFixture(300);
      await (await as(issuerA).getFunction("revokeCredentials")(ROOT, [7], 1)).wait();
      await (await as(issuerA).getFunction("suspendCredentials")(ROOT, [8, 299], 8)).wait();
      await (await as(issuerB).getFunction("anchorBatch")(ROOT, 3)).wait();
      await (await as(issuerB).getFunction("revokeBatch")(ROOT, 2)).wait();
      const queries = [
        [issuerA.address, ROOT, 7n, bytes32(1), []],
        [issuerA.address, ROOT, 8n, bytes32(2), [bytes32(3)]],
        [issuerA.address, ROOT, 299n, bytes32(2), []],
        [issuerA.address, ROOT, 300n, bytes32(2), []],
        [issuerB.address, ROOT, 1n, bytes32(4), []],
        [outsider.address, OTHER_ROOT, 0n, ZeroHash, []],
      ] as const;
      const bulk = (await registry.getFunction("credentialStatuses")(queries)) as unknown[];
      expect(bulk.length).to.equal(queries.length);
      for (const [position, query] of queries.entries()) {
        const single = await registry.getFunction("credentialStatus")(...query);
        expect(toPlain(bulk[position])).to.deep.equal(toPlain(single));
      }
      expect(toPlain(bulk[0]).revoked).to.equal(true);
      expect(toPlain(bulk[2]).suspended).to.equal(true);
      expect(toPlain(bulk[3]).indexInRange).to.equal(false);
      expect(toPlain(bulk[4]).batchRevoked).to.equal(true);
    });
  });

  describe("invariants under a random sequence of actions", () => {
    it("matches a model: revocation is final; only the batch's active issuer (or, after deactivation, an accreditor) changes it", async () => {
      const { registry, as, accreditor, issuerA, issuerB, outsider } = await anchoredFixture(600);
      await (await as(issuerB).getFunction("anchorBatch")(ROOT, 600)).wait();
      const random = seededRandom(20261121);
      const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      type Model = { revoked: Set<number>; suspended: Set<number>; batchRevoked: boolean; deactivated: boolean };
      const model = new Map<string, Model>([
        [issuerA.address, { revoked: new Set(), suspended: new Set(), batchRevoked: false, deactivated: false }],
        [issuerB.address, { revoked: new Set(), suspended: new Set(), batchRevoked: false, deactivated: false }],
      ]);
      const everRevoked = new Map<string, Set<number>>([[issuerA.address, new Set()], [issuerB.address, new Set()]]);
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

        const authorised = actor === outsider ? false : viaAccreditor ? state.deactivated : !state.deactivated;
        let expectOk = authorised && !state.batchRevoked;
        const revoked = new Set(state.revoked);
        const suspended = new Set(state.suspended);
        if (action === "deactivate") expectOk = !state.deactivated;
        else if (action !== "revokeBatch") {
          for (const index of indices) {
            if (revoked.has(index)) expectOk = false;
            else if (action === "revoke") revoked.add(index);
            else if (action === "suspend") {
              if (suspended.has(index)) expectOk = false;
              suspended.add(index);
            } else {
              if (!suspended.has(index)) expectOk = false;
              suspended.delete(index);
            }
          }
        }

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
        let ok = true;
        try {
          await (await send()).wait();
        } catch {
          ok = false;
        }
        const label = `step ${step}: ${actor.address.slice(0, 8)} ${action} on ${target.address.slice(0, 8)} [${indices}]`;
        expect(ok, label).to.equal(expectOk);
        if (!ok) {
          rejected += 1;
          continue;
        }
        succeeded += 1;
        if (viaAccreditor && action !== "deactivate") accreditorChanges += 1;
        if (action === "deactivate") state.deactivated = true;
        else if (action === "revokeBatch") state.batchRevoked = true;
        else {
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
        expect(stored.revokedAt > 0n).to.equal(state.batchRevoked);
      }
      // Both regimes were exercised: issuers acting while active, accreditors acting after deactivation.
      expect(succeeded).to.be.greaterThan(20);
      expect(rejected).to.be.greaterThan(20);
      expect(accreditorChanges).to.be.greaterThan(0);
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

