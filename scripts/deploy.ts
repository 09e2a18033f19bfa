// Deploys the CredentialRegistry on the network Hardhat is pointed at, grants ACCREDITOR_ROLE, and records the
// deployment in deployments/<chainId>.json (read by everything else in the project). A failure after the deployment
// leaves deployments/<chainId>.pending.json; running the script again finishes that deployment.
//
//   npx hardhat run scripts/deploy.ts --network localhost   # a `npm run node` on 127.0.0.1:8545
//   CREDREG_RPC_URL=... CREDREG_PRIVATE_KEY=... npx hardhat run scripts/deploy.ts --network rpc   # any EVM chain
//
// Optional environment: CREDREG_ADMIN (default admin; default: the deployer), CREDREG_ADMIN_DELAY (seconds before
// an admin transfer can be accepted; default two days), CREDREG_ACCREDITORS (comma-separated; default: the
// deployer), CREDREG_CONFIRMATIONS (default 1), CREDREG_DEPLOYMENTS_DIR (default ./deployments).
import { globalOptions, network } from "hardhat";
import { isAddress } from "ethers";
import { BaseError } from "../src/errors/BaseError.ts";
import { type ClassifyContext, classifyError } from "../src/errors/classifyError.ts";
import { InvalidConfigError } from "../src/errors/configErrors.ts";
import { deployRegistry } from "../src/chain/deployRegistry.ts";
import { deployRegistryRecorded } from "../src/chain/deployRegistryRecorded.ts";
import { defaultDeploymentsDir } from "../src/chain/deployments.ts";

function readAddressList(variable: string): string[] | undefined {
  const value = process.env[variable]?.trim();
  if (!value) return undefined;
  const addresses = value.split(",").map((entry) => entry.trim());
  const bad = addresses.find((entry) => !isAddress(entry));
  if (bad !== undefined) {
    throw new InvalidConfigError(variable, `contains ${JSON.stringify(bad)}, which is not an address`, "Give comma-separated 0x addresses.");
  }
  return addresses;
}

function readWholeNumber(variable: string): number | undefined {
  const value = process.env[variable]?.trim();
  if (!value) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new InvalidConfigError(variable, `is ${JSON.stringify(value)}, not a whole number`, `Set ${variable} to a whole number.`);
  }
  return Number(value);
}

/** The deployer and chain, once known: a Hardhat node's "not enough funds" answer names neither. */
const known: ClassifyContext = {};
try {
  const admin = readAddressList("CREDREG_ADMIN")?.[0];
  const accreditors = readAddressList("CREDREG_ACCREDITORS");
  const adminDelaySeconds = readWholeNumber("CREDREG_ADMIN_DELAY");
  const confirmations = readWholeNumber("CREDREG_CONFIRMATIONS") ?? 1;

  if (globalOptions.network === "rpc") {
    for (const variable of ["CREDREG_RPC_URL", "CREDREG_PRIVATE_KEY"]) {
      if (!process.env[variable]?.trim()) {
        throw new InvalidConfigError(variable, "is not set", `--network rpc needs CREDREG_RPC_URL (the JSON-RPC URL) and CREDREG_PRIVATE_KEY (the deployer's key) in the environment.`);
      }
    }
  }
  const connection = await network.create();
  const [signer] = await connection.ethers.getSigners();
  if (!signer) throw new InvalidConfigError("CREDREG_PRIVATE_KEY", "gives no signer for this network", "Set the deployer's key.");
  Object.assign(known, { account: signer.address, chainId: (await connection.ethers.provider.getNetwork()).chainId });
  // The in-process network vanishes with this process: recording it would overwrite a real node's file for 31337.
  // Elsewhere the address is recorded (<chainId>.pending.json) before any role is granted, and a rerun after a
  // failure finishes the grants on it instead of deploying again; the record carries the deployment block's hash.
  const ephemeral = connection.networkConfig.type === "edr-simulated";
  const { deployment, file } = ephemeral
    ? { deployment: await deployRegistry({ signer, admin, accreditors, adminDelaySeconds, confirmations }), file: "(not recorded: in-process network; use --network localhost)" }
    : await deployRegistryRecorded({ signer, admin, accreditors, adminDelaySeconds, confirmations, deploymentsDir: defaultDeploymentsDir() });
  console.log(`CredentialRegistry deployed on chain ${deployment.chainId} (${connection.networkName})`);
  console.log(`  address      ${deployment.address}`);
  console.log(`  block        ${deployment.blockNumber}  tx ${deployment.transactionHash}`);
  console.log(`  admin        ${deployment.admin} (transfer delay ${deployment.adminDelaySeconds} s)`);
  console.log(`  accreditors  ${deployment.accreditors.join(", ")}`);
  console.log(`  recorded in  ${file}`);
  await connection.close();
} catch (error) {
  // A clear sentence, never a stack trace nor a raw transaction: exit 1 for bad configuration or input, 2 for chain/RPC
  // failures (the classification shared with the CLI and the API).
  const classified = classifyError(error, known);
  const sentence = classified.kind === "refused" && classified.reworded;
  console.error(`Error: ${sentence || !(error instanceof Error) ? classified.message : error.message}`);
  if (!(error instanceof BaseError) && !sentence) console.error("Check the network settings (--network, CREDREG_RPC_URL, CREDREG_PRIVATE_KEY) and that the node is reachable.");
  process.exitCode = classified.exitCode;
}
