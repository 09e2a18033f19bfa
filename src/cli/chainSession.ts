import type { Wallet } from "ethers";
import { loadSigner } from "../config/loadSigner.ts";
import type { CredregConfig } from "../config/resolveConfig.ts";
import { type ChainContext, connectSigner, openChain } from "../chain/openChain.ts";
import { describeChainReset } from "../store/describeChainReset.ts";
import { IssuerStore } from "../store/IssuerStore.ts";
import { withIssuerLock } from "../store/withIssuerLock.ts";

/** Runs `work` on the configured chain and registry, and closes the connection after it. */
export async function withChain<T>(config: CredregConfig, work: (chain: ChainContext) => Promise<T>): Promise<T> {
  const chain = await openChain(config);
  try {
    return await work(chain);
  } finally {
    chain.close();
  }
}

/** Runs `work` on the issuer's store, and closes it after it. */
export async function withStore<T>(config: CredregConfig, work: (store: IssuerStore) => Promise<T>): Promise<T> {
  const store = IssuerStore.open(config.store);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/**
 * Runs `work` on the issuer's store for `chain`: the store first records the chain (id and genesis hash); when the
 * chain was reset since the store last saw it, says so in one sentence on stderr (the old chain's records are kept
 * apart and never block new work).
 */
export async function withStoreOn<T>(config: CredregConfig, chain: ChainContext, work: (store: IssuerStore) => Promise<T>): Promise<T> {
  return withStore(config, (store) => {
    const reset = store.useChain(chain.chainId.toString(), chain.genesisHash);
    if (reset !== undefined) process.stderr.write(`credreg: ${describeChainReset(reset)}\n`);
    return work(store);
  });
}

/**
 * Runs `work` holding the cross-process lock of (store, chain, signer): a status change and an issuance, or two
 * status changes, of one account never interleave, in this process or another (see {@link withIssuerLock}).
 */
export async function withSignerLock<T>(store: IssuerStore, chain: ChainContext, signer: Wallet, work: () => Promise<T>): Promise<T> {
  return withIssuerLock({ storeFile: store.file, chainId: chain.chainId.toString(), genesisHash: chain.genesisHash, issuer: await signer.getAddress() }, work);
}

/** The configured signer (CREDREG_PRIVATE_KEY or the keystore), connected to `chain`. */
export async function signerFor(config: CredregConfig, chain: ChainContext): Promise<Wallet> {
  return connectSigner(chain, await loadSigner(config.keystore));
}
