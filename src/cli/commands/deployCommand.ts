import { assertExpectedChain } from "../../chain/assertExpectedChain.ts";
import { connectRpc } from "../../chain/connectRpc.ts";
import { deployRegistryRecorded } from "../../chain/deployRegistryRecorded.ts";
import { loadSigner } from "../../config/loadSigner.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { print } from "../cliOutput.ts";
import { crashCheckpoint } from "../crashCheckpoint.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { requireAddress } from "../requireAddress.ts";

/**
 * `credreg deploy`: deploys a CredentialRegistry and records it in deployments/<chainId>.json; after a failure once
 * the contract was deployed, the rerun finishes that deployment (see {@link deployRegistryRecorded}).
 */
export async function deployCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { admin: { type: "string" }, "admin-delay": { type: "string" }, accreditor: { type: "string" } });
  const output = { json: values.json === true };
  const config = resolveConfig(values);
  const delay = str(values["admin-delay"]);
  if (delay !== undefined && !/^\d+$/.test(delay)) throw new InvalidInputError(`--admin-delay ${delay} is not a number of seconds.`);
  const accreditors = str(values.accreditor)?.split(",").map((entry) => requireAddress(entry.trim(), "--accreditor"));
  const admin = str(values.admin) === undefined ? undefined : requireAddress(str(values.admin), "--admin");
  const { provider, chainId } = await connectRpc(config.rpcUrl, { pollingIntervalMs: 250 });
  try {
    assertExpectedChain(config.chainId, chainId);
    const signer = (await loadSigner(config.keystore)).connect(provider);
    // The address is recorded (<chainId>.pending.json) before any role is granted; a rerun after a failure finishes
    // the grants on it. The record carries the deployment block's hash: after a chain reset, the file says so.
    const { deployment: record, file, resumed } = await deployRegistryRecorded({
      signer,
      admin,
      accreditors,
      adminDelaySeconds: delay === undefined ? undefined : Number(delay),
      confirmations: config.confirmations,
      deploymentsDir: config.deploymentsDir,
      checkpoint: crashCheckpoint,
    });
    print(output, { ...record, deploymentFile: file, resumed }, [
      resumed
        ? `Finished the pending deployment of CredentialRegistry on chain ${record.chainId} at ${record.address} (block ${record.blockNumber}): its roles are granted.`
        : `CredentialRegistry deployed on chain ${record.chainId} at ${record.address} (block ${record.blockNumber}).`,
      `Admin ${record.admin}; accreditors ${record.accreditors.join(", ")}; recorded in ${file}.`,
    ]);
  } finally {
    provider.destroy();
  }
}
