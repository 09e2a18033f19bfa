import type { Contract } from "ethers";
import { decodeRegistryError } from "./decodeRegistryError.ts";

/** What a mined registry transaction left behind. */
export type SentTransaction = {
  readonly hash: string;
  readonly blockNumber: number;
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
    return { hash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed };
  } catch (error) {
    throw decodeRegistryError(error) ?? error;
  }
}
