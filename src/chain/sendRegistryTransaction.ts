import type { Contract } from "ethers";
import { decodeRegistryError } from "./decodeRegistryError.ts";

/** What a mined registry transaction left behind. */
export type SentTransaction = {
  readonly hash: string;
  readonly blockNumber: number;
  /** Unix seconds of the block that holds it. */
  readonly blockTime: number;
  readonly gasUsed: bigint;
};

/**
 * Sends `method(...args)` to the registry, waits for `confirmations`, and returns the receipt's essentials.
 * A revert comes back as a RegistryRevertedError naming the contract's custom error and what it means.
 */
export async function sendRegistryTransaction(
  registry: Contract,
  method: string,
  args: readonly unknown[],
  confirmations = 1,
): Promise<SentTransaction> {
  try {
    const response = await registry.getFunction(method)(...args);
    const receipt = await response.wait(confirmations);
    const block = await receipt.getBlock();
    return { hash: receipt.hash, blockNumber: receipt.blockNumber, blockTime: block.timestamp, gasUsed: receipt.gasUsed };
  } catch (error) {
    throw decodeRegistryError(error) ?? error;
  }
}
