import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { describe, expect, it } from "vitest";
import { decodeRegistryError } from "../../src/chain/decodeRegistryError.ts";
import { deployRegistry, DEFAULT_ADMIN_DELAY_SECONDS } from "../../src/chain/deployRegistry.ts";
import { deployRegistryRecorded } from "../../src/chain/deployRegistryRecorded.ts";
import { readDeployment } from "../../src/chain/deployments.ts";
import { readPendingDeployment } from "../../src/chain/pendingDeployment.ts";
import { PendingDeploymentError } from "../../src/errors/deploymentErrors.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { DeploymentNotFoundError, RegistryRevertedError } from "../../src/errors/chainErrors.ts";

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

describe("deployRegistryRecorded", () => {
  it("behavior: the address is recorded before any role is granted; after a failure there, the rerun finishes the grants on that contract", async () => {
    const { ethers } = await network.create();
    const [deployer, first, second] = await ethers.getSigners();
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-deploy-recorded-"));
    const accreditors = [first!.address, second!.address];
    const injected = new Error("injected failure between the deployment and the grants");
    const failed = await deployRegistryRecorded({
      signer: deployer!,
      accreditors,
      deploymentsDir: dir,
      checkpoint: (point) => {
        if (point === "after-deploy") throw injected;
      },
    }).catch((caught: unknown) => caught);
    expect(failed).toBe(injected);
    // The contract is on chain and its address is on disk; it is not yet the deployment in use.
    const pending = await readPendingDeployment(31337n, dir);
    expect(pending).toMatchObject({ format: "credreg-deployment-v1", chainId: "31337", deployer: deployer!.address, accreditors });
    expect(await ethers.provider.getCode(pending!.address)).not.toBe("0x");
    await expect(readDeployment(31337n, dir)).rejects.toBeInstanceOf(DeploymentNotFoundError);
    const registry = registryContract(pending!.address, deployer!);
    const role = await registry.getFunction("ACCREDITOR_ROLE")();
    expect(await registry.getFunction("hasRole")(role, first!.address)).toBe(false);

    // Other settings do not silently finish (or abandon) the pending contract.
    const mismatch = await deployRegistryRecorded({ signer: deployer!, accreditors: [first!.address], deploymentsDir: dir }).catch((caught: unknown) => caught);
    expect(mismatch).toBeInstanceOf(PendingDeploymentError);
    expect((mismatch as PendingDeploymentError).shortMessage).toBe(
      `The pending deployment on chain 31337 at ${pending!.address} was made with admin ${deployer!.address}, admin delay 172800 s and accreditors ${accreditors.join(", ")}, not with the settings given (admin ${deployer!.address}, admin delay 172800 s, accreditors ${first!.address}).`,
    );

    // One grant made it before the failure (say): the rerun grants only the missing one, and deploys nothing.
    await (await registry.getFunction("grantRole")(role, first!.address)).wait();
    const nonce = await ethers.provider.getTransactionCount(deployer!.address);
    const finished = await deployRegistryRecorded({ signer: deployer!, accreditors, deploymentsDir: dir });
    expect(finished.resumed).toBe(true);
    expect(finished.deployment).toEqual(pending);
    expect(await ethers.provider.getTransactionCount(deployer!.address), "one grant, no second deployment").toBe(nonce + 1);
    expect(await registry.getFunction("hasRole")(role, second!.address)).toBe(true);
    expect((await readDeployment(31337n, dir)).address).toBe(pending!.address);
    expect(await readdir(dir)).toEqual(["31337.json"]);
  });

  it("default: without a failure, deploys, grants and writes <chainId>.json, leaving no pending record", async () => {
    const { ethers } = await network.create();
    const [deployer] = await ethers.getSigners();
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-deploy-recorded-"));
    const points: string[] = [];
    const { deployment, file, resumed } = await deployRegistryRecorded({ signer: deployer!, deploymentsDir: dir, checkpoint: (point) => points.push(point) });
    expect(resumed).toBe(false);
    expect(points).toEqual(["after-deploy"]);
    expect(file).toBe(path.join(dir, "31337.json"));
    expect(await readdir(dir)).toEqual(["31337.json"]);
    expect(await readDeployment(31337n, dir)).toEqual(deployment);
    const registry = registryContract(deployment.address, ethers.provider);
    expect(await registry.getFunction("hasRole")(await registry.getFunction("ACCREDITOR_ROLE")(), deployer!.address)).toBe(true);
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
