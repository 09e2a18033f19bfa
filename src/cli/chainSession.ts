import type { Wallet } from "ethers";
import { loadSigner } from "../config/loadSigner.ts";
import type { CredregConfig } from "../config/resolveConfig.ts";
import { type ChainContext, connectSigner, openChain } from "../issuer/openChain.ts";
import { IssuerStore } from "../store/IssuerStore.ts";

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

/** The configured signer (CREDREG_PRIVATE_KEY or the keystore), connected to `chain`. */
export async function signerFor(config: CredregConfig, chain: ChainContext): Promise<Wallet> {
  return connectSigner(chain, await loadSigner(config.keystore));
}
