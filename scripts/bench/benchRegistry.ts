// Shared set-up of the benchmarks that need a chain: a `hardhat node` on loopback, a deployed registry, and an
// accredited issuer (Hardhat's public development accounts #0 and #1: worthless anywhere but a local node).
import path from "node:path";
import { HDNodeWallet, type JsonRpcProvider } from "ethers";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { type RegistryDeployment, writeDeployment } from "../../src/chain/deployments.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";

const MNEMONIC = "test test test test test test test test test test test junk";
export const devWallet = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

export type BenchRegistry = {
  readonly node: LocalNode;
  readonly provider: JsonRpcProvider;
  readonly chainId: bigint;
  readonly deployment: RegistryDeployment;
  readonly governor: HDNodeWallet;
  /** Accredited as "Bench University" (https://bench.example/issuer). */
  readonly issuer: HDNodeWallet;
  stop(): Promise<void>;
};

/** Starts a node, deploys, accredits the issuer, and records the deployment in `deploymentsDir` if given. */
export async function startBenchRegistry(deploymentsDir?: string): Promise<BenchRegistry> {
  const node = await startHardhatNode();
  const { provider, chainId } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const governor = devWallet(0).connect(provider);
  const issuer = devWallet(1).connect(provider);
  const deployment = await deployRegistry({ signer: governor });
  if (deploymentsDir !== undefined) await writeDeployment(deployment, path.resolve(deploymentsDir));
  await sendRegistryTransaction(registryContract(deployment.address, governor), "accreditIssuer", [issuer.address, "Bench University", "https://bench.example/issuer"]);
  return {
    node,
    provider,
    chainId,
    deployment,
    governor,
    issuer,
    stop: async () => {
      provider.destroy();
      await node.stop();
    },
  };
}
