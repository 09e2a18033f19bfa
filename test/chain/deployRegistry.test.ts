import { network } from "hardhat";
import { describe, expect, it } from "vitest";
import { decodeRegistryError } from "../../src/chain/decodeRegistryError.ts";
import { deployRegistry, DEFAULT_ADMIN_DELAY_SECONDS } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { RegistryRevertedError } from "../../src/errors/chainErrors.ts";

describe("deployRegistry", () => {
  it("default: deploys from the embedded artifact, makes the signer admin and accreditor, and describes the deployment", async () => {
    const { ethers } = await network.create();
    const [deployer] = await ethers.getSigners();
    const deployment = await deployRegistry({ signer: deployer! });
    expect(deployment.format).toBe("credreg-deployment-v1");
    expect(deployment.chainId).toBe("31337");
    expect(deployment.admin).toBe(deployer!.address);
    expect(deployment.accreditors).toEqual([deployer!.address]);
    expect(deployment.adminDelaySeconds).toBe(DEFAULT_ADMIN_DELAY_SECONDS);
    const registry = registryContract(deployment.address, ethers.provider);
    const role = await registry.getFunction("ACCREDITOR_ROLE")();
    expect(await registry.getFunction("hasRole")(role, deployer!.address)).toBe(true);
    expect(await registry.getFunction("defaultAdmin")()).toBe(deployer!.address);
    const receipt = await ethers.provider.getTransactionReceipt(deployment.transactionHash);
    expect(receipt?.contractAddress).toBe(deployment.address);
    expect(receipt?.blockNumber).toBe(deployment.blockNumber);
  });

  it("behavior: another admin and several accreditors", async () => {
    const { ethers } = await network.create();
    const [deployer, admin, first, second] = await ethers.getSigners();
    const deployment = await deployRegistry({
      signer: deployer!,
      admin: admin!.address,
      adminDelaySeconds: 60,
      accreditors: [],
    });
    const registry = registryContract(deployment.address, ethers.provider);
    expect(await registry.getFunction("defaultAdmin")()).toBe(admin!.address);
    expect(await registry.getFunction("defaultAdminDelay")()).toBe(60n);
    // The deployer is not admin, so it cannot grant accreditors: the decoded revert says why.
    const error = await deployRegistry({ signer: deployer!, admin: admin!.address, accreditors: [first!.address, second!.address] }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RegistryRevertedError);
    expect((error as RegistryRevertedError).errorName).toBe("AccessControlUnauthorizedAccount");
  });
});

describe("decodeRegistryError and sendRegistryTransaction", () => {
  it("default: turn a revert into the custom error, its arguments and a sentence", async () => {
    const { ethers } = await network.create();
    const [deployer, outsider] = await ethers.getSigners();
    const deployment = await deployRegistry({ signer: deployer! });
    const asOutsider = registryContract(deployment.address, outsider!);
    const error = await sendRegistryTransaction(asOutsider, "anchorBatch", [`0x${"11".repeat(32)}`, 3]).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RegistryRevertedError);
    const reverted = error as RegistryRevertedError;
    expect(reverted.errorName).toBe("CredentialRegistryIssuerNotAccredited");
    expect(reverted.args).toEqual({ issuer: outsider!.address });
    expect(reverted.shortMessage).toBe(
      `The registry rejected the transaction: ${outsider!.address} is not an accredited issuer; ask an accreditor to accredit it.`,
    );

    const asDeployer = registryContract(deployment.address, deployer!);
    const unknownReason = await sendRegistryTransaction(asDeployer, "deactivateIssuer", [outsider!.address, 200]).catch(
      (caught: unknown) => caught,
    );
    expect((unknownReason as RegistryRevertedError).shortMessage).toBe(
      "The registry rejected the transaction: reason code 200 is unknown (valid codes are 0 to 9; see docs/reason-codes.md).",
    );
  });

  it("behavior: a successful transaction returns hash, block and gas", async () => {
    const { ethers } = await network.create();
    const [deployer, issuer] = await ethers.getSigners();
    const deployment = await deployRegistry({ signer: deployer! });
    const sent = await sendRegistryTransaction(registryContract(deployment.address, deployer!), "accreditIssuer", [
      issuer!.address,
      "Issuer",
      "https://issuer.example",
    ]);
    expect(sent.hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(sent.blockNumber).toBeGreaterThan(deployment.blockNumber);
    expect(sent.gasUsed).toBeGreaterThan(21000n);
  });

  it("behavior: an error that is no registry revert is left alone", () => {
    expect(decodeRegistryError(new Error("connect ECONNREFUSED 127.0.0.1:8545"))).toBeUndefined();
    expect(decodeRegistryError({ data: "0xdeadbeef" })).toBeUndefined();
    expect(decodeRegistryError(undefined)).toBeUndefined();
  });
});
