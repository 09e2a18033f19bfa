import type { Provider } from "ethers";
import { readAllLogs } from "./readLogsAdaptively.ts";
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

/**
 * One `eth_call` of `data` to `to` at `blockTag`, sent as is through a JSON-RPC provider (ethers' `call` re-resolves
 * and re-checksums the address and copies the request each time: costly on a server answering thousands a second).
 */
export async function rawEthCall(provider: Provider, to: string, data: string, blockTag: ReadAt): Promise<string> {
  const send = (provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
  if (typeof send !== "function") return provider.call({ to, data, ...(blockTag === undefined ? {} : { blockTag }) });
  return (await send.call(provider, "eth_call", [{ to, data }, blockTag === undefined ? "latest" : `0x${blockTag.toString(16)}`])) as string;
}

/** Whether a contract is deployed at `address` (raw `eth_getCode`, compared as text: no conversion of the code). */
export async function hasCode(provider: Provider, address: string): Promise<boolean> {
  const send = (provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
  const code = typeof send === "function" ? ((await send.call(provider, "eth_getCode", [address, "latest"])) as string) : await provider.getCode(address);
  return code !== "0x";
}

/** Encodings and decodings already made (pure functions; a server asks the same reads again and again). */
const views = new Map<string, unknown>();
function remembered<T>(key: string, make: () => T): T {
  if (views.has(key)) return views.get(key) as T;
  const value = make();
  views.set(key, value);
  if (views.size > 4_000) views.delete(views.keys().next().value!);
  return value;
}

async function callView(provider: Provider, registry: string, name: ViewName, args: readonly unknown[], blockTag: ReadAt) {
  const data = remembered(`in:${name}:${JSON.stringify(args)}`, () => registryInterface.encodeFunctionData(name, args));
  const answer = await rawEthCall(provider, registry, data, blockTag);
  return remembered(`out:${name}:${answer}`, () => registryInterface.decodeFunctionResult(name, answer));
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
  const logs = await readAllLogs(provider, { address: registry, topics }, block, block);
  return logs[0]?.transactionHash ?? null;
}
