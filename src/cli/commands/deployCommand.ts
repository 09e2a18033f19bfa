import { connectRpc } from "../../chain/connectRpc.ts";
import { deployRegistry } from "../../chain/deployRegistry.ts";
import { writeDeployment } from "../../chain/deployments.ts";
import { loadSigner } from "../../config/loadSigner.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidConfigError } from "../../errors/configErrors.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { print } from "../cliOutput.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { requireAddress } from "../requireAddress.ts";

/** `credreg deploy`: deploys a CredentialRegistry and records it in deployments/<chainId>.json. */
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
    if (config.chainId !== undefined && config.chainId !== chainId) throw new InvalidConfigError("The RPC", `serves chain ${chainId}, not ${config.chainId}`, "Fix CREDREG_RPC_URL or CREDREG_CHAIN_ID.");
    const signer = (await loadSigner(config.keystore)).connect(provider);
    const record = await deployRegistry({ signer, admin, accreditors, adminDelaySeconds: delay === undefined ? undefined : Number(delay), confirmations: config.confirmations });
    const file = await writeDeployment(record, config.deploymentsDir);
    print(output, { ...record, deploymentFile: file }, [
      `CredentialRegistry deployed on chain ${record.chainId} at ${record.address} (block ${record.blockNumber}).`,
      `Admin ${record.admin}; accreditors ${record.accreditors.join(", ")}; recorded in ${file}.`,
    ]);
  } finally {
    provider.destroy();
  }
}
