import { registryInterface } from "../chain/registryContract.ts";
import type { CredregConfig } from "../config/resolveConfig.ts";
import { signRecordAndBroadcast, waitRecorded } from "../issuer/sendRecordedTransaction.ts";
import { signerFor, withChain, withStoreOn } from "./chainSession.ts";

/** What a governance transaction did on chain. */
export type GovernanceReceipt = { chainId: string; registry: string; transactionHash: string; blockNumber: number; gasUsed: string };

/**
 * Sends one governance call (`method(args)` of the registry) signed by the configured key, recorded in the store
 * as `kind` before it is broadcast, and waits for the configured confirmations.
 */
export async function governanceSend(config: CredregConfig, kind: string, method: string, args: unknown[]): Promise<GovernanceReceipt> {
  return withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    return withStoreOn(config, chain, async (store) => {
      const sent = await signRecordAndBroadcast({ chain, signer, store, kind, batchId: null, data: registryInterface.encodeFunctionData(method, args), payload: { method, args: args.map(String) } });
      const receipt = await waitRecorded(chain, store, sent.hash, config.confirmations, `The ${kind} transaction`);
      return { chainId: chain.chainId.toString(), registry: chain.registryAddress, transactionHash: sent.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() };
    });
  });
}
