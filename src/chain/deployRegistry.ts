import { ContractFactory, type Signer, getAddress } from "ethers";
import { decodeRegistryError } from "./decodeRegistryError.ts";
import { credentialRegistryAbi, credentialRegistryBytecode } from "./credentialRegistryArtifact.ts";
import type { RegistryDeployment } from "./deployments.ts";
import { registryContract } from "./registryContract.ts";
import { PendingDeploymentError } from "../errors/deploymentErrors.ts";

/** Two days: the default wait before a default-admin transfer can be accepted. */
export const DEFAULT_ADMIN_DELAY_SECONDS = 2 * 24 * 60 * 60;

export type DeployRegistryParameters = {
  /** Pays for and sends the deployment; must be `admin` if `accreditors` are to be granted. */
  signer: Signer;
  /** The default admin (default: the signer). */
  admin?: string | undefined;
  /** Seconds before an admin transfer can be accepted (default: two days). */
  adminDelaySeconds?: number | undefined;
  /** Addresses granted ACCREDITOR_ROLE (default: the signer). */
  accreditors?: readonly string[] | undefined;
  /** Confirmations to wait for on each transaction (default 1). */
  confirmations?: number | undefined;
  /**
   * Called with the deployment's record as soon as the deployment transaction is mined, before any role is granted:
   * the place to record the address, so that a failure in the grants never loses it.
   */
  onDeployed?: ((deployment: RegistryDeployment) => Promise<void> | void) | undefined;
  /**
   * A deployment recorded by `onDeployed` whose grants did not finish: nothing is deployed; the accreditors that do
   * not hold ACCREDITOR_ROLE yet are granted it on that contract. Its settings must be the ones asked for.
   */
  resume?: RegistryDeployment | undefined;
};

/**
 * Deploys a CredentialRegistry, hands its record to `onDeployed`, grants ACCREDITOR_ROLE, and returns the record to
 * keep in the deployments file (with `resume`, finishes the grants of a recorded deployment instead). Works on any EVM
 * chain the signer's provider is connected to.
 */
export async function deployRegistry(parameters: DeployRegistryParameters): Promise<RegistryDeployment> {
  const { signer } = parameters;
  const provider = signer.provider;
  if (!provider) throw new TypeError("deployRegistry needs a signer connected to a provider.");
  const deployer = getAddress(await signer.getAddress());
  const admin = getAddress(parameters.admin ?? deployer);
  const adminDelaySeconds = parameters.adminDelaySeconds ?? DEFAULT_ADMIN_DELAY_SECONDS;
  const accreditors = (parameters.accreditors ?? [deployer]).map((account) => getAddress(account));
  const confirmations = parameters.confirmations ?? 1;

  let deployment: RegistryDeployment;
  if (parameters.resume !== undefined) {
    deployment = parameters.resume;
    const recorded = { admin: getAddress(deployment.admin), adminDelaySeconds: deployment.adminDelaySeconds, accreditors: deployment.accreditors.map((account) => getAddress(account)) };
    if (recorded.admin !== admin || recorded.adminDelaySeconds !== adminDelaySeconds || recorded.accreditors.join(",") !== accreditors.join(",")) {
      throw new PendingDeploymentError(
        deployment,
        `was made with admin ${recorded.admin}, admin delay ${recorded.adminDelaySeconds} s and accreditors ${recorded.accreditors.join(", ") || "(none)"}, not with the settings given (admin ${admin}, admin delay ${adminDelaySeconds} s, accreditors ${accreditors.join(", ") || "(none)"})`,
        `Run deploy again with the recorded settings to finish it, or delete ${deployment.chainId}.pending.json in the deployments folder to deploy a new registry.`,
      );
    }
    if ((await provider.getCode(deployment.address)) === "0x") {
      throw new PendingDeploymentError(
        deployment,
        "has no contract code on the chain (the chain was reset)",
        `Delete ${deployment.chainId}.pending.json in the deployments folder and run deploy again to deploy a new registry.`,
      );
    }
  } else {
    const factory = new ContractFactory(credentialRegistryAbi, credentialRegistryBytecode, signer);
    const contract = await factory.deploy(adminDelaySeconds, admin);
    const deploymentTransaction = contract.deploymentTransaction();
    if (!deploymentTransaction) throw new Error("The deployment transaction was not sent.");
    const receipt = await deploymentTransaction.wait(confirmations);
    if (!receipt?.contractAddress) throw new Error(`Deployment transaction ${deploymentTransaction.hash} created no contract.`);
    const [network, block] = await Promise.all([provider.getNetwork(), provider.getBlock(receipt.blockNumber)]);
    deployment = {
      format: "credreg-deployment-v1",
      contract: "CredentialRegistry",
      chainId: network.chainId.toString(),
      address: getAddress(receipt.contractAddress),
      blockNumber: receipt.blockNumber,
      blockHash: block?.hash ?? undefined,
      transactionHash: receipt.hash,
      deployer,
      admin,
      adminDelaySeconds,
      accreditors,
      deployedAt: new Date(Number(block?.timestamp ?? 0) * 1000).toISOString(),
    };
    await parameters.onDeployed?.(deployment);
  }

  if (accreditors.length > 0) {
    const registry = registryContract(deployment.address, signer);
    const role = (await registry.getFunction("ACCREDITOR_ROLE")()) as string;
    for (const accreditor of accreditors) {
      // Idempotent: a rerun after a failed grant skips the accreditors already granted.
      if ((await registry.getFunction("hasRole")(role, accreditor)) === true) continue;
      try {
        const grant = await registry.getFunction("grantRole")(role, accreditor);
        await grant.wait(confirmations);
      } catch (error) {
        throw decodeRegistryError(error) ?? error;
      }
    }
  }
  return deployment;
}
