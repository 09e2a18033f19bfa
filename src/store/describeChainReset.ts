import type { ChainReset } from "./claimChain.ts";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The one sentence that tells the user a chain was reset and what became of its records. */
export function describeChainReset(reset: ChainReset): string {
  return (
    `Chain ${reset.chainId} was reset (its genesis block is now ${reset.genesisHash.slice(0, 10)}…, was ${reset.previousGenesisHash.slice(0, 10)}…): ` +
    `the store keeps the vanished chain's ${count(reset.batches, "batch", "batches")} and ${count(reset.transactions, "transaction", "transactions")} apart, and new work starts afresh on this chain.`
  );
}
