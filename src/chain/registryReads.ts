import type { Provider } from "ethers";
import { registryInterface } from "./registryContract.ts";

/** The registry's record of a batch (`batch(issuer, root)`), with plain numbers; `anchoredAt` 0 = never anchored. */
export type BatchRecord = {
  readonly anchoredAt: number;
  readonly leafCount: number;
  readonly anchoredBlock: number;
  readonly revokedAt: number;
  readonly revocationReason: number;
};

/** The registry's record of an issuer (`issuer(address)`); `accreditedAt` 0 = never accredited. */
export type IssuerRecord = {
  readonly name: string;
  readonly profileId: string;
  readonly accreditedAt: number;
  readonly deactivatedAt: number;
  readonly deactivationReason: number;
};

type ViewName = "batch" | "issuer" | "statusWords";

/** A block to read at: a number pins the read (and lets a cache keep it), undefined reads the latest state. */
export type ReadAt = number | undefined;

async function callView(provider: Provider, registry: string, name: ViewName, args: readonly unknown[], blockTag: ReadAt) {
  const data = await provider.call({ to: registry, data: registryInterface.encodeFunctionData(name, args), ...(blockTag === undefined ? {} : { blockTag }) });
  return registryInterface.decodeFunctionResult(name, data);
}

/** One `eth_call` to `batch(issuer, root)`. */
export async function readBatchRecord(provider: Provider, registry: string, issuer: string, root: string, blockTag?: ReadAt): Promise<BatchRecord> {
  const [record] = await callView(provider, registry, "batch", [issuer, root], blockTag);
  return {
    anchoredAt: Number(record.anchoredAt),
    leafCount: Number(record.leafCount),
    anchoredBlock: Number(record.anchoredBlock),
    revokedAt: Number(record.revokedAt),
    revocationReason: Number(record.revocationReason),
  };
}

/** One `eth_call` to `issuer(address)`. */
export async function readIssuerRecord(provider: Provider, registry: string, issuer: string, blockTag?: ReadAt): Promise<IssuerRecord> {
  const [record] = await callView(provider, registry, "issuer", [issuer], blockTag);
  return {
    name: String(record.name),
    profileId: String(record.profileId),
    accreditedAt: Number(record.accreditedAt),
    deactivatedAt: Number(record.deactivatedAt),
    deactivationReason: Number(record.deactivationReason),
  };
}

/** One `eth_call` to `statusWords`: the revocation and suspension bits of credentials `256·word … 256·word + 255`. */
export async function readStatusWords(provider: Provider, registry: string, issuer: string, root: string, word: number, blockTag?: ReadAt): Promise<{ revoked: bigint; suspended: bigint }> {
  const [revoked, suspended] = await callView(provider, registry, "statusWords", [issuer, root, word], blockTag);
  return { revoked: BigInt(revoked), suspended: BigInt(suspended) };
}

/**
 * The transaction that anchored `(issuer, root)` in `block`: the BatchAnchored log of that block (one
 * `eth_getLogs` over a single block, which every RPC allows); null when the block holds none.
 */
export async function readAnchorTransaction(provider: Provider, registry: string, issuer: string, root: string, block: number): Promise<string | null> {
  const topics = [registryInterface.getEvent("BatchAnchored")!.topicHash, `0x${issuer.slice(2).toLowerCase().padStart(64, "0")}`, root.toLowerCase()];
  const logs = await provider.getLogs({ address: registry, topics, fromBlock: block, toBlock: block });
  return logs[0]?.transactionHash ?? null;
}
