// Issues and anchors a batch through the same library code as `credreg issue`, on the network Hardhat points at:
//
//   CREDREG_PRIVATE_KEY=0x… CREDREG_INPUT=examples/recipients.csv CREDREG_ACHIEVEMENT=examples/achievement.json \
//   CREDREG_OUT=issued npx hardhat run scripts/anchor-batch.ts --network localhost
//
// The signer is the issuer (CREDREG_PRIVATE_KEY, or CREDREG_KEYSTORE + CREDREG_KEYSTORE_PASSWORD); the registry is
// CREDREG_REGISTRY or deployments/<chainId>.json; the store is CREDREG_STORE or .credreg/issuer.sqlite.
import { network } from "hardhat";
import { loadSigner } from "../src/config/loadSigner.ts";
import { resolveConfig } from "../src/config/resolveConfig.ts";
import { BaseError } from "../src/errors/BaseError.ts";
import { InvalidConfigError } from "../src/errors/configErrors.ts";
import { issueBatch } from "../src/issuer/issueBatch.ts";
import { connectSigner, openChain } from "../src/chain/openChain.ts";
import { IssuerStore } from "../src/store/IssuerStore.ts";

function required(variable: string): string {
  const value = process.env[variable]?.trim();
  if (!value) throw new InvalidConfigError(variable, "is not set", `Set ${variable} (see the header of scripts/anchor-batch.ts).`);
  return value;
}

try {
  const connection = await network.create();
  const url = (connection.networkConfig as { url?: { get?: () => Promise<string> } | string }).url;
  const rpcUrl = typeof url === "string" ? url : await url?.get?.();
  await connection.close();
  if (connection.networkConfig.type !== "http" || rpcUrl === undefined) {
    throw new InvalidConfigError("--network", `is ${connection.networkName}, an in-process network that vanishes with this script`, "Use --network localhost (npm run node) or --network rpc.");
  }
  const config = resolveConfig({ "rpc-url": rpcUrl });
  const chain = await openChain(config);
  const store = IssuerStore.open(config.store);
  try {
    const signer = connectSigner(chain, await loadSigner(config.keystore));
    const result = await issueBatch(chain, signer, store, {
      formatVersion: 1, // this script anchors format 1 batches (format 2: credreg issue)
      input: required("CREDREG_INPUT"),
      achievement: required("CREDREG_ACHIEVEMENT"),
      outDir: required("CREDREG_OUT"),
      confirmations: config.confirmations,
    });
    console.log(`${result.status}: ${result.leafCount} credentials, root ${result.root}, transaction ${result.transactionHash} (block ${result.blockNumber}); files in ${result.outDir}`);
  } finally {
    store.close();
    chain.close();
  }
} catch (error) {
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof BaseError && error.name.startsWith("Invalid") ? 1 : 2;
}
