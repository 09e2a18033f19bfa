import { type Contract, getAddress, id, type JsonRpcProvider, type Wallet } from "ethers";
import { assertExpectedChain } from "./assertExpectedChain.ts";
import { connectRpc } from "./connectRpc.ts";
import { readDeployment, requireLiveDeployment } from "./deployments.ts";
import { registryContract } from "./registryContract.ts";
import type { CredregConfig } from "../config/resolveConfig.ts";
import { RegistryNotFoundError } from "../errors/chainErrors.ts";
import { ChainActionError } from "../errors/issuerErrors.ts";

/** A connection to the chain and its registry, checked. */
export type ChainContext = {
  readonly provider: JsonRpcProvider;
  readonly chainId: bigint;
  /** The hash of block 0: with the chain id, it names the chain (a reset chain keeps its id, not its genesis). */
  readonly genesisHash: string;
  readonly registryAddress: string;
  /** The registry, read-only (through the provider). */
  readonly registry: Contract;
  /** The deployment block when known (from the deployments file), to bound log searches. */
  readonly fromBlock: number;
  close(): void;
};

/** The hash of block 0 (`eth_getBlockByNumber(0)`). */
export async function readGenesisHash(provider: JsonRpcProvider, rpcUrl: string): Promise<string> {
  const genesis = (await provider.send("eth_getBlockByNumber", ["0x0", false])) as { hash?: unknown } | null;
  if (typeof genesis?.hash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(genesis.hash)) {
    throw new ChainActionError(`The RPC at ${rpcUrl} did not return the chain's genesis block (block 0), which credreg needs to tell chains apart.`, [
      "Use an RPC endpoint that serves block 0 (an archive or full node), then run the command again.",
    ]);
  }
  return genesis.hash.toLowerCase();
}

/**
 * Connects to the configured JSON-RPC endpoint, checks the chain id against the configuration, finds the registry
 * (configured address, or the deployments file of the chain) and checks that a CredentialRegistry answers there.
 * Failures are chain/infrastructure errors with what to do.
 */
export async function openChain(config: CredregConfig): Promise<ChainContext> {
  const { provider, chainId } = await connectRpc(config.rpcUrl, { pollingIntervalMs: 250 });
  try {
    assertExpectedChain(config.chainId, chainId);
    const genesisHash = await readGenesisHash(provider, config.rpcUrl);
    let registryAddress = config.registry;
    let fromBlock = 0;
    if (registryAddress === undefined) {
      const deployment = await readDeployment(chainId, config.deploymentsDir);
      await requireLiveDeployment(deployment, provider, config.deploymentsDir);
      registryAddress = deployment.address;
      fromBlock = deployment.blockNumber;
    }
    registryAddress = getAddress(registryAddress);
    if ((await provider.getCode(registryAddress)) === "0x") throw new RegistryNotFoundError(registryAddress, chainId);
    const registry = registryContract(registryAddress, provider);
    let role: unknown;
    try {
      role = await registry.getFunction("ACCREDITOR_ROLE")();
    } catch {
      role = undefined;
    }
    if (role !== id("ACCREDITOR_ROLE")) {
      throw new ChainActionError(`The contract at ${registryAddress} on chain ${chainId} is not a CredentialRegistry.`, [
        "Check CREDREG_REGISTRY / --registry, or the deployments file of this chain.",
      ]);
    }
    return { provider, chainId, genesisHash, registryAddress, registry, fromBlock, close: () => provider.destroy() };
  } catch (error) {
    provider.destroy();
    throw error;
  }
}

/** What the registry says of `address` as an issuer; throws unless it is accredited and active. */
export async function requireActiveIssuer(chain: ChainContext, address: string): Promise<{ name: string; profileId: string; accreditedAt: number }> {
  const record = await chain.registry.getFunction("issuer")(address);
  if (record.accreditedAt === 0n) {
    throw new ChainActionError(`${address} is not an accredited issuer of the registry ${chain.registryAddress} (chain ${chain.chainId}).`, [
      "Ask an accreditor to run: credreg accredit <address> --name ... --profile-id ...",
      "Or check that CREDREG_PRIVATE_KEY / the keystore is the issuer's key.",
    ]);
  }
  if (record.deactivatedAt !== 0n) {
    throw new ChainActionError(`${address} was deactivated as an issuer at ${new Date(Number(record.deactivatedAt) * 1000).toISOString()}.`, [
      "A deactivated key can no longer anchor or change statuses; have a new key accredited.",
    ]);
  }
  return { name: record.name as string, profileId: record.profileId as string, accreditedAt: Number(record.accreditedAt) };
}

/** The signer connected to the chain. */
export function connectSigner(chain: ChainContext, signer: Wallet): Wallet {
  return signer.connect(chain.provider);
}
