import { deployRegistry, type DeployRegistryParameters } from "./deployRegistry.ts";
import { type RegistryDeployment, writeDeployment } from "./deployments.ts";
import { readPendingDeployment, removePendingDeployment, writePendingDeployment } from "./pendingDeployment.ts";

export type DeployRegistryRecordedParameters = Omit<DeployRegistryParameters, "onDeployed" | "resume"> & {
  /** The deployments folder (`<chainId>.json`, and `<chainId>.pending.json` while roles are being granted). */
  deploymentsDir: string;
  /** Called between the steps, for crash-injection tests: "after-deploy" (address recorded, no role granted yet). */
  checkpoint?: ((point: string) => void) | undefined;
};

/**
 * Deploys a CredentialRegistry and records it, so that a failure at any point never loses a deployed contract: the
 * address is recorded in `<chainId>.pending.json` as soon as the deployment is mined, before any role is granted; a
 * rerun after a failure finishes the grants on that contract instead of deploying again. Once every role is granted,
 * `<chainId>.json` is written (until then the previous deployment, if any, stays the one in use) and the pending
 * record removed.
 */
export async function deployRegistryRecorded(
  parameters: DeployRegistryRecordedParameters,
): Promise<{ deployment: RegistryDeployment; file: string; resumed: boolean }> {
  const provider = parameters.signer.provider;
  if (!provider) throw new TypeError("deployRegistryRecorded needs a signer connected to a provider.");
  const { chainId } = await provider.getNetwork();
  const { deploymentsDir, checkpoint, ...deploy } = parameters;
  const pending = await readPendingDeployment(chainId, deploymentsDir);
  const deployment = await deployRegistry({
    ...deploy,
    resume: pending,
    onDeployed: async (record) => {
      await writePendingDeployment(record, deploymentsDir);
      checkpoint?.("after-deploy");
    },
  });
  const file = await writeDeployment(deployment, deploymentsDir);
  await removePendingDeployment(chainId, deploymentsDir);
  return { deployment, file, resumed: pending !== undefined };
}
