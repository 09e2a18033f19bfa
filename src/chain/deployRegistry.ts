import { ContractFactory, type Signer, getAddress } from "ethers";
import { decodeRegistryError } from "./decodeRegistryError.ts";
import { credentialRegistryAbi, credentialRegistryBytecode } from "./credentialRegistryArtifact.ts";
import type { RegistryDeployment } from "./deployments.ts";
import { registryContract } from "./registryContract.ts";

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
};

/**
 * Deploys a CredentialRegistry, grants ACCREDITOR_ROLE, and returns the record to keep in the deployments file.
 * Works on any EVM chain the signer's provider is connected to.
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

  const factory = new ContractFactory(credentialRegistryAbi, credentialRegistryBytecode, signer);
  const contract = await factory.deploy(adminDelaySeconds, admin);
  const deploymentTransaction = contract.deploymentTransaction();
  if (!deploymentTransaction) throw new Error("The deployment transaction was not sent.");
  const receipt = await deploymentTransaction.wait(confirmations);
  if (!receipt?.contractAddress) throw new Error(`Deployment transaction ${deploymentTransaction.hash} created no contract.`);
  const address = getAddress(receipt.contractAddress);

  if (accreditors.length > 0) {
    const registry = registryContract(address, signer);
    const role = (await registry.getFunction("ACCREDITOR_ROLE")()) as string;
    for (const accreditor of accreditors) {
      try {
        const grant = await registry.getFunction("grantRole")(role, accreditor);
        await grant.wait(confirmations);
      } catch (error) {
        throw decodeRegistryError(error) ?? error;
      }
    }
  }

  const [network, block] = await Promise.all([provider.getNetwork(), provider.getBlock(receipt.blockNumber)]);
  return {
    format: "credreg-deployment-v1",
    contract: "CredentialRegistry",
    chainId: network.chainId.toString(),
    address,
    blockNumber: receipt.blockNumber,
    transactionHash: receipt.hash,
    deployer,
    admin,
    adminDelaySeconds,
    accreditors,
    deployedAt: new Date(Number(block?.timestamp ?? 0) * 1000).toISOString(),
  };
}
