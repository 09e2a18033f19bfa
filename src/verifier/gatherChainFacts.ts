import { getAddress, type JsonRpcProvider } from "ethers";
import { readAllLogs } from "../chain/readLogsAdaptively.ts";
import { connectRpc } from "../chain/connectRpc.ts";
import { DEFAULT_STATUS_CHUNK_SIZE, type OnChainCredentialStatus, readCredentialStatuses } from "../chain/readCredentialStatus.ts";
import { hasCode, readAnchorTransaction, readBatchRecord, readIssuerRecord, readStatusWords } from "../chain/registryReads.ts";
import { registryContract, registryInterface } from "../chain/registryContract.ts";
import type { InclusionCheck } from "../batch/checkInclusion.ts";
import { type AnchoredCredential, batchKeyOf, issuerKeyOf } from "./chainKeys.ts";
import { BaseError } from "../errors/BaseError.ts";
import type { CredentialFacts, IssuerFacts, StatusEvent, VerifyOptions } from "./verificationTypes.ts";

/** A credential whose format passed, with its place in the input. */
export type ChainQuery = { readonly position: number; readonly credential: AnchoredCredential; readonly hashes: InclusionCheck | undefined };

/** What the chain said, for every credential asked about (by position), gathered in bulk. */
export type ChainFacts = {
  readonly rpc: CredentialFacts["rpc"];
  readonly at: CredentialFacts["at"];
  /** By lower-case registry address: whether a contract is there. */
  readonly codeAt: ReadonlyMap<string, boolean>;
  readonly onChain: ReadonlyMap<number, OnChainCredentialStatus>;
  /** By `registry:issuer` (lower case). */
  readonly issuers: ReadonlyMap<string, IssuerFacts>;
  readonly histories: ReadonlyMap<number, StatusEvent[]>;
  /** By `registry:issuer:root` (lower case): the transaction of the BatchAnchored log in the recorded anchor block. */
  readonly anchorTransactions: ReadonlyMap<string, string | null>;
};

const STATUS_EVENTS = ["CredentialRevoked", "CredentialSuspended", "CredentialReinstated", "BatchRevoked"] as const;
const KIND = { CredentialRevoked: "revoked", CredentialSuspended: "suspended", CredentialReinstated: "reinstated", BatchRevoked: "batchRevoked" } as const;


/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

const messageOf = (error: unknown) => (error instanceof BaseError ? error.shortMessage : error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error));

const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  return groups;
};

/**
 * The answer of credentialStatus composed from the registry's `batch` record and `statusWords` (one read per batch
 * and per 256 credentials) and the off-chain proof check: what bulk verification uses. The issuer times are filled
 * in from the issuer records afterwards.
 */
function composedStatusTasks(provider: JsonRpcProvider, registry: string, entries: readonly ChainQuery[], onChain: Map<number, OnChainCredentialStatus>, block: number): (() => Promise<void>)[] {
  return [...groupBy(entries, (entry) => batchKeyOf(entry.credential)).values()].map((batchEntries) => async () => {
    const { anchor, merkleRoot } = batchEntries[0]!.credential.proof;
    const stored = await readBatchRecord(provider, registry, anchor.issuer, merkleRoot, block);
    const words = new Map<number, Promise<{ revoked: bigint; suspended: bigint }>>();
    for (const entry of batchEntries) {
      const word = Math.floor(entry.credential.proof.leafIndex / 256);
      if (!words.has(word)) words.set(word, readStatusWords(provider, registry, anchor.issuer, merkleRoot, word, block));
    }
    for (const entry of batchEntries) {
      const index = entry.credential.proof.leafIndex;
      const bits = await words.get(Math.floor(index / 256))!;
      const bit = 1n << BigInt(index % 256);
      onChain.set(entry.position, {
        proofValid: entry.hashes?.included === true,
        indexInRange: index < stored.leafCount,
        revoked: (bits.revoked & bit) !== 0n,
        suspended: (bits.suspended & bit) !== 0n,
        batchRevoked: stored.revokedAt !== 0,
        leafCount: stored.leafCount,
        anchoredAt: stored.anchoredAt,
        anchoredBlock: stored.anchoredBlock,
        batchRevokedAt: stored.revokedAt,
        batchRevocationReason: stored.revocationReason,
        issuerAccreditedAt: 0,
        issuerDeactivatedAt: 0,
      });
    }
  });
}

/** The status events of each batch that needs them, oldest first, by position of the credentials asking. */
async function readHistories(provider: JsonRpcProvider, needHistory: readonly ChainQuery[], onChain: ReadonlyMap<number, OnChainCredentialStatus>, latestBlock: number, concurrency: number): Promise<Map<number, StatusEvent[]>> {
  const histories = new Map<number, StatusEvent[]>();
  const blockTimes = new Map<number, Promise<number>>();
  const blockTime = (block: number) => {
    if (!blockTimes.has(block)) blockTimes.set(block, provider.getBlock(block).then((found) => found?.timestamp ?? 0));
    return blockTimes.get(block)!;
  };
  await pool(
    [...groupBy(needHistory, (entry) => batchKeyOf(entry.credential)).values()].map((entries) => async () => {
      // One batch's history failing leaves only that batch without it (its steps say what could not be read).
      await readBatchHistory(entries).catch(() => undefined);
    }),
    concurrency,
  );
  return histories;

  async function readBatchHistory(entries: readonly ChainQuery[]): Promise<void> {
    const { anchor, merkleRoot } = entries[0]!.credential.proof;
    const topics = [STATUS_EVENTS.map((name) => registryInterface.getEvent(name)!.topicHash), `0x${anchor.issuer.slice(2).toLowerCase().padStart(64, "0")}`, merkleRoot.toLowerCase()];
    // Through the one adaptive reader: public RPCs cap ranges and rates; a long history must not fail the verdict.
    const logs = await readAllLogs(provider, { address: anchor.registry, topics }, onChain.get(entries[0]!.position)!.anchoredBlock, latestBlock);
    const events: (StatusEvent & { index: number | null })[] = [];
    for (const log of logs) {
      const parsed = registryInterface.parseLog(log);
      if (!parsed) continue;
      events.push({
        kind: KIND[parsed.name as keyof typeof KIND],
        reason: Number(parsed.args.reason),
        index: parsed.name === "BatchRevoked" ? null : Number(parsed.args.index),
        blockNumber: log.blockNumber,
        blockTime: await blockTime(log.blockNumber),
        transactionHash: log.transactionHash,
        logIndex: log.index,
      });
    }
    for (const entry of entries) {
      const leafIndex = entry.credential.proof.leafIndex;
      histories.set(entry.position, events.filter((event) => event.index === null || event.index === leafIndex).map(({ index: _index, ...event }) => event));
    }
  }
}

/**
 * Asks the chain, in bulk, everything the steps need about `queries`: chain id and latest block, code at each
 * trusted registry, each credential's status (the `credentialStatuses` view for few credentials; batch records and
 * status words with the proofs checked off chain for many), each issuer's record, each batch's anchoring
 * transaction, and status events where needed. An RPC failure is recorded in `rpc`, never thrown.
 */
export async function gatherChainFacts(queries: readonly ChainQuery[], options: VerifyOptions): Promise<ChainFacts> {
  const trusted = new Set(options.trustedRegistries.map((address) => address.toLowerCase()));
  const now = Math.floor(Date.now() / 1000);
  let at: CredentialFacts["at"] = { time: options.at !== undefined && "date" in options.at ? Math.floor(options.at.date.getTime() / 1000) : now, explicit: options.at !== undefined };
  let rpc: CredentialFacts["rpc"];
  const codeAt = new Map<string, boolean>();
  const onChain = new Map<number, OnChainCredentialStatus>();
  const issuers = new Map<string, IssuerFacts>();
  let histories = new Map<number, StatusEvent[]>();
  const anchorTransactions = new Map<string, string | null>();
  const facts = () => ({ rpc, at, codeAt, onChain, issuers, histories, anchorTransactions });
  if (queries.length === 0 || (options.provider === undefined && options.rpcUrl === undefined)) return facts();

  let provider = options.provider;
  const ownsProvider = provider === undefined;
  try {
    if (provider === undefined) provider = (await connectRpc(options.rpcUrl!, { timeoutMs: options.timeoutMs ?? 15_000 })).provider;
    const [network, latestBlock] = await Promise.all([provider.getNetwork(), provider.getBlockNumber()]);
    rpc = { ok: true, chainId: network.chainId, latestBlock };
    if (options.at !== undefined && "block" in options.at) {
      const block = await provider.getBlock(options.at.block);
      if (block === null) throw new Error(`block ${options.at.block} does not exist yet on this chain (latest ${latestBlock})`);
      at = { time: block.timestamp, block: options.at.block, explicit: true };
    }
    const live = provider;
    const served = `eip155:${network.chainId}`;
    const askable = queries.filter((entry) => entry.credential.proof.anchor.chainId === served && trusted.has(entry.credential.proof.anchor.registry.toLowerCase()));
    for (const registry of new Set(askable.map((entry) => entry.credential.proof.anchor.registry.toLowerCase()))) codeAt.set(registry, await hasCode(live, registry));
    const withCode = askable.filter((entry) => codeAt.get(entry.credential.proof.anchor.registry.toLowerCase()));
    const concurrency = options.concurrency ?? 8;

    // Statuses and issuer records. Few credentials: the registry's credentialStatuses view (proofs verified by the
    // contract), 200 per call. Many: each batch record and 256-credential status word read once, the proofs checked
    // off chain with the same sorted-pair rule (the node re-executing MerkleProof costs milliseconds per credential).
    const composed = withCode.length > (options.bulkThreshold ?? 20);
    const tasks: (() => Promise<void>)[] = [];
    for (const [registryKey, entries] of groupBy(withCode, (entry) => entry.credential.proof.anchor.registry.toLowerCase())) {
      const registry = getAddress(registryKey);
      if (composed) tasks.push(...composedStatusTasks(live, registry, entries, onChain, latestBlock));
      else {
        const contract = registryContract(registry, live);
        for (let start = 0; start < entries.length; start += DEFAULT_STATUS_CHUNK_SIZE) {
          const chunk = entries.slice(start, start + DEFAULT_STATUS_CHUNK_SIZE);
          tasks.push(async () => {
            const statuses = await readCredentialStatuses(
              contract,
              chunk.map(({ credential, hashes }) => ({
                issuer: credential.proof.anchor.issuer,
                root: credential.proof.merkleRoot,
                index: credential.proof.leafIndex,
                credentialHash: hashes?.credentialHash ?? `0x${"00".repeat(32)}`,
                proof: credential.proof.merkleProof,
              })),
              DEFAULT_STATUS_CHUNK_SIZE,
              latestBlock,
            );
            statuses.forEach((status, offset) => onChain.set(chunk[offset]!.position, status));
          });
        }
      }
      for (const issuer of new Set(entries.map((entry) => entry.credential.proof.anchor.issuer.toLowerCase()))) {
        tasks.push(async () => {
          issuers.set(`${registryKey}:${issuer}`, await readIssuerRecord(live, registry, issuer, latestBlock));
        });
      }
    }
    await pool(tasks, concurrency);
    if (composed) {
      // The issuer's times come from its record (read above), as the single view reports them.
      for (const entry of withCode) {
        const status = onChain.get(entry.position);
        const issuer = issuers.get(issuerKeyOf(entry.credential));
        if (status !== undefined && issuer !== undefined) onChain.set(entry.position, { ...status, issuerAccreditedAt: issuer.accreditedAt, issuerDeactivatedAt: issuer.deactivatedAt });
      }
    }

    const anchored = withCode.filter((entry) => (onChain.get(entry.position)?.anchoredAt ?? 0) > 0);
    // The transaction that anchored each batch: one single-block eth_getLogs per batch.
    await pool(
      [...groupBy(anchored, (entry) => batchKeyOf(entry.credential))].map(([key, entries]) => async () => {
        const { anchor, merkleRoot } = entries[0]!.credential.proof;
        anchorTransactions.set(key, await readAnchorTransaction(live, anchor.registry, anchor.issuer, merkleRoot, onChain.get(entries[0]!.position)!.anchoredBlock));
      }),
      concurrency,
    );
    // Status events: only for batches where a credential is revoked or suspended now, or for every batch with --at.
    const needHistory = anchored.filter((entry) => {
      const status = onChain.get(entry.position)!;
      return at.explicit || status.revoked || status.suspended || status.batchRevoked;
    });
    histories = await readHistories(live, needHistory, onChain, latestBlock, options.concurrency ?? 4);
  } catch (error) {
    rpc = { ok: false, code: "RpcError", message: messageOf(error) };
  } finally {
    if (ownsProvider) provider?.destroy();
  }
  return facts();
}
