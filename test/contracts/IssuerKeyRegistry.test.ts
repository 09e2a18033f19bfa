import { expect } from "chai";
import { type Contract, getCreateAddress } from "ethers";
import { keyRegistryAddressOf } from "../../src/chain/keyRegistryAddressOf.ts";
import { describe, it } from "vitest";
import { bytes32, deployRegistryFixture } from "../helpers/registryFixture.ts";

// Ed25519 signing keys bound to issuers (format v2): added by an active issuer, one issuer per key ever, retired for
// rotation, revoked for compromise from a moment on (by the issuer or an accreditor), every change an event.

const KEY_1 = bytes32("ed25519 key 1");
const KEY_2 = bytes32("ed25519 key 2");

type SigningKey = { issuer: string; addedAt: bigint; retiredAt: bigint; compromisedAt: bigint; revokedAt: bigint; revocationReason: bigint };

async function keyFixture() {
  const fixture = await deployRegistryFixture();
  // The registry created its key registry in its constructor: found from the registry's address alone.
  const keys = (await fixture.ethers.getContractAt("IssuerKeyRegistry", keyRegistryAddressOf(await fixture.registry.getAddress()))) as unknown as Contract;
  const keysAs = (signer: { address: string }) => keys.connect(signer as never) as Contract;
  const record = async (key: string) => (await keys.getFunction("signingKey")(key)) as SigningKey;
  return { ...fixture, keys, keysAs, record };
}

describe("IssuerKeyRegistry", () => {
  it("default: an active issuer adds a key (event, record with the block time); the registry it follows is readable", async () => {
    const { keys, keysAs, issuerA, registry, record, blockTime } = await keyFixture();
    expect(await keys.getFunction("credentialRegistry")()).to.equal(await registry.getAddress());
    expect(await keys.getAddress()).to.equal(getCreateAddress({ from: await registry.getAddress(), nonce: 1 }));
    expect(await keys.getDeployedCode()).to.not.equal(null);
    const added = keysAs(issuerA).getFunction("addSigningKey")(KEY_1);
    await expect(added).to.emit(keys, "SigningKeyAdded").withArgs(issuerA.address, KEY_1);
    const addedAt = await blockTime(await added);
    const stored = await record(KEY_1);
    expect(stored.issuer).to.equal(issuerA.address);
    expect(stored.addedAt).to.equal(BigInt(addedAt));
    expect([stored.retiredAt, stored.compromisedAt, stored.revokedAt, stored.revocationReason]).to.deep.equal([0n, 0n, 0n, 0n]);
    expect((await record(KEY_2)).issuer).to.equal("0x0000000000000000000000000000000000000000");
  });

  it("error: only an accredited, active issuer adds keys; the zero key is no key; a key is bound to one issuer, ever", async () => {
    const { keys, keysAs, as, accreditor, issuerA, issuerB, outsider } = await keyFixture();
    await expect(keysAs(outsider).getFunction("addSigningKey")(KEY_1)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryNotActiveIssuer").withArgs(outsider.address);
    await expect(keysAs(issuerA).getFunction("addSigningKey")(`0x${"00".repeat(32)}`)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryInvalidKey");
    await (await keysAs(issuerA).getFunction("addSigningKey")(KEY_1)).wait();
    await expect(keysAs(issuerA).getFunction("addSigningKey")(KEY_1)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryKeyAlreadyBound").withArgs(KEY_1, issuerA.address);
    // Issuer B cannot claim A's public key as its own (it could then anchor copies of A's credentials as B's).
    await expect(keysAs(issuerB).getFunction("addSigningKey")(KEY_1)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryKeyAlreadyBound").withArgs(KEY_1, issuerA.address);
    await (await as(accreditor).getFunction("deactivateIssuer")(issuerB.address, 4)).wait();
    await expect(keysAs(issuerB).getFunction("addSigningKey")(KEY_2)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryNotActiveIssuer").withArgs(issuerB.address);
  });

  it("behavior: rotation: the issuer retires its key once; an unknown key or another issuer's key cannot be retired", async () => {
    const { keys, keysAs, issuerA, issuerB, record, blockTime } = await keyFixture();
    await (await keysAs(issuerA).getFunction("addSigningKey")(KEY_1)).wait();
    await expect(keysAs(issuerB).getFunction("retireSigningKey")(KEY_1)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryNotKeyIssuer").withArgs(KEY_1, issuerA.address, issuerB.address);
    await expect(keysAs(issuerA).getFunction("retireSigningKey")(KEY_2)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryUnknownKey").withArgs(KEY_2);
    const retired = keysAs(issuerA).getFunction("retireSigningKey")(KEY_1);
    await expect(retired).to.emit(keys, "SigningKeyRetired").withArgs(issuerA.address, KEY_1);
    const retiredAt = BigInt(await blockTime(await retired));
    expect((await record(KEY_1)).retiredAt).to.equal(retiredAt);
    await expect(keysAs(issuerA).getFunction("retireSigningKey")(KEY_1)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryKeyRetired").withArgs(KEY_1, retiredAt);
  });

  it("behavior: compromise: revoked from a past moment by the issuer (even retired or deactivated) or by an accreditor, once", async () => {
    const { keys, keysAs, as, accreditor, issuerA, issuerB, outsider, record, blockTime, networkHelpers } = await keyFixture();
    const addedAt = BigInt(await blockTime(await keysAs(issuerA).getFunction("addSigningKey")(KEY_1)));
    await (await keysAs(issuerA).getFunction("addSigningKey")(KEY_2)).wait();
    await networkHelpers.time.increase(3_600);
    await (await keysAs(issuerA).getFunction("retireSigningKey")(KEY_1)).wait();
    await (await as(accreditor).getFunction("deactivateIssuer")(issuerA.address, 6)).wait();
    // Compromised 10 minutes after it was added, noticed an hour later: revoked by its (deactivated) issuer.
    const revoked = keysAs(issuerA).getFunction("revokeSigningKey")(KEY_1, addedAt + 600n, 4);
    await expect(revoked).to.emit(keys, "SigningKeyRevoked").withArgs(issuerA.address, KEY_1, addedAt + 600n, 4, issuerA.address);
    const revokedAt = BigInt(await blockTime(await revoked));
    const stored = await record(KEY_1);
    expect([stored.compromisedAt, stored.revokedAt, stored.revocationReason]).to.deep.equal([addedAt + 600n, revokedAt, 4n]);
    await expect(keysAs(issuerA).getFunction("revokeSigningKey")(KEY_1, addedAt, 4)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryKeyRevoked").withArgs(KEY_1, revokedAt);
    await expect(keysAs(issuerA).getFunction("retireSigningKey")(KEY_1)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryKeyRevoked").withArgs(KEY_1, revokedAt);
    // Someone else's key: only its issuer or an accreditor.
    for (const stranger of [issuerB, outsider]) {
      await expect(keysAs(stranger).getFunction("revokeSigningKey")(KEY_2, addedAt + 1n, 4)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryNotKeyIssuer").withArgs(KEY_2, issuerA.address, stranger.address);
    }
    await expect(keysAs(accreditor).getFunction("revokeSigningKey")(KEY_2, addedAt + 1n, 4)).to.emit(keys, "SigningKeyRevoked").withArgs(issuerA.address, KEY_2, addedAt + 1n, 4, accreditor.address);
  });

  it("error: the compromise time lies between the key's addition and now; the reason is a known code", async () => {
    const { keys, keysAs, issuerA, blockTime } = await keyFixture();
    const addedAt = BigInt(await blockTime(await keysAs(issuerA).getFunction("addSigningKey")(KEY_1)));
    await expect(keysAs(issuerA).getFunction("revokeSigningKey")(KEY_1, addedAt - 1n, 4)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryInvalidCompromiseTime");
    await expect(keysAs(issuerA).getFunction("revokeSigningKey")(KEY_1, addedAt + 86_400n, 4)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryInvalidCompromiseTime");
    await expect(keysAs(issuerA).getFunction("revokeSigningKey")(KEY_1, addedAt, 10)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryUnknownReason").withArgs(10, 9);
    await expect(keysAs(issuerA).getFunction("revokeSigningKey")(KEY_2, addedAt, 4)).to.be.revertedWithCustomError(keys, "IssuerKeyRegistryUnknownKey").withArgs(KEY_2);
    await expect(keysAs(issuerA).getFunction("revokeSigningKey")(KEY_1, addedAt, 4)).to.emit(keys, "SigningKeyRevoked");
  });
});
