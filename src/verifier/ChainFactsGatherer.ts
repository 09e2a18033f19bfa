import { getAddress, type JsonRpcProvider } from "ethers";
import { readAllLogs } from "../chain/readLogsAdaptively.ts";
import { connectRpc } from "../chain/connectRpc.ts";
import { DEFAULT_STATUS_CHUNK_SIZE, type OnChainCredentialStatus, readCredentialStatuses } from "../chain/readCredentialStatus.ts";
import { type BatchRecord, hasCode, readAnchorTransaction, readBatchRecord, readIssuerRecord, readStatusWords } from "../chain/registryReads.ts";
import { registryContract, registryInterface } from "../chain/registryContract.ts";
import { keyRegistryAddressOf } from "../chain/keyRegistryAddressOf.ts";
import { readSigningKey, type SigningKeyRecord } from "../chain/keyRegistryReads.ts";
import { type ChainKeys, chainKeysOf } from "./chainKeys.ts";
import { BaseError } from "../errors/BaseError.ts";
import type { ChainFacts, ChainQuery } from "./gatherChainFacts.ts";
import type { CredentialFacts, IssuerFacts, StatusEvent, VerifyOptions } from "./verificationTypes.ts";

const STATUS_EVENTS = ["CredentialRevoked", "CredentialSuspended", "CredentialReinstated", "BatchRevoked"] as const;
const KIND = { CredentialRevoked: "revoked", CredentialSuspended: "suspended", CredentialReinstated: "reinstated", BatchRevoked: "batchRevoked" } as const;

/** What every read is pinned to: the chain served, its latest block when the gathering began, the moment checked. */
type ChainContext = { readonly provider: JsonRpcProvider; readonly chainId: bigint; readonly latestBlock: number; readonly at: CredentialFacts["at"] };

/** A credential added, with the keys its chain facts are kept under (computed once). */
type Asked = { readonly query: ChainQuery; readonly keys: ChainKeys };
type StatusWords = { readonly revoked: bigint; readonly suspended: bigint };
/** A status event with the index it names (null: the whole batch). */
type IndexedEvent = StatusEvent & { readonly index: number | null };

const messageOf = (error: unknown) => (error instanceof BaseError ? error.shortMessage : error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error));

const ignore = () => undefined;

/** The moment checked when it needs no chain: a date given, or now. */
function momentOf(options: VerifyOptions): CredentialFacts["at"] {
  return { time: options.at !== undefined && "date" in options.at ? Math.floor(options.at.date.getTime() / 1000) : Math.floor(Date.now() / 1000), explicit: options.at !== undefined };
}

/**
 * Asks the chain everything the steps need about credentials as they are read, so that its round trips overlap the
 * reading: {@link add} the credentials of each chunk as it is read, then {@link finish} once. Every read is pinned to
 * the latest block seen when the gathering began, and each batch record, status word, issuer record, anchoring
 * transaction and batch history is read once (remembered by key), so the facts are those {@link gatherChainFacts}
 * gives for all the credentials at once. Reading ahead starts above the bulk threshold only (below it, the registry's
 * credentialStatuses view is asked in {@link finish}). An RPC failure in any read that is needed makes `rpc` a failure
 * for every credential: no fact is taken from a partial answer.
 */
export class ChainFactsGatherer {
  readonly #options: VerifyOptions;
  readonly #asked: Asked[] = [];
  readonly #trusted: Set<string>;
  readonly #threshold: number;
  readonly #limit: <T>(task: () => Promise<T>) => Promise<T>;
  readonly #limitHistories: <T>(task: () => Promise<T>) => Promise<T>;
  #context: Promise<ChainContext> | undefined;
  #ownedProvider: JsonRpcProvider | undefined;
  #finished = false;
  #released = false;
  readonly #codeAt = new Map<string, Promise<boolean>>();
  readonly #records = new Map<string, Promise<BatchRecord | undefined>>();
  readonly #words = new Map<string, Promise<StatusWords | undefined>>();
  readonly #issuers = new Map<string, Promise<IssuerFacts>>();
  readonly #anchorTransactions = new Map<string, Promise<string | null>>();
  readonly #histories = new Map<string, Promise<IndexedEvent[] | undefined>>();
  readonly #blockTimes = new Map<number, Promise<number>>();
  readonly #signingKeys = new Map<string, Promise<SigningKeyRecord | null>>();

  constructor(options: VerifyOptions) {
    this.#options = options;
    this.#trusted = new Set(options.trustedRegistries.map((address) => address.toLowerCase()));
    this.#threshold = options.bulkThreshold ?? 20;
    this.#limit = limiter(options.concurrency ?? 8);
    this.#limitHistories = limiter(options.concurrency ?? 4);
  }

  /** Takes in credentials just read; above the bulk threshold, their chain reads start now. */
  add(queries: readonly ChainQuery[]): void {
    if (this.#finished) throw new Error("ChainFactsGatherer.add after finish");
    const before = this.#asked.length;
    for (const query of queries) this.#asked.push({ query, keys: chainKeysOf(query.credential) });
    if (this.#asked.length <= this.#threshold || !this.#canAsk()) return;
    const ahead = this.#asked.slice(before <= this.#threshold ? 0 : before);
    // A failure is not lost here: finish() awaits the same (remembered) reads and reports it.
    this.#startContext().then((context) => {
      for (const entry of ahead) this.#readAhead(context, entry);
    }, ignore);
  }

  /** Everything the chain said about every credential added, by position; releases what it opened. */
  async finish(): Promise<ChainFacts> {
    this.#finished = true;
    let at = momentOf(this.#options);
    let rpc: CredentialFacts["rpc"];
    const codeAt = new Map<string, boolean>();
    const onChain = new Map<number, OnChainCredentialStatus>();
    const issuers = new Map<string, IssuerFacts>();
    const histories = new Map<number, StatusEvent[]>();
    const anchorTransactions = new Map<string, string | null>();
    const signingKeys = new Map<string, SigningKeyRecord | null>();
    const facts = () => ({ rpc, at, codeAt, onChain, issuers, histories, anchorTransactions, signingKeys });
    if (this.#asked.length === 0 || !this.#canAsk()) return facts();
    try {
      const context = await this.#startContext();
      at = context.at;
      rpc = { ok: true, chainId: context.chainId, latestBlock: context.latestBlock };
      const askable = this.#asked.filter((entry) => this.#askable(context, entry));
      for (const registry of new Set(askable.map((entry) => entry.keys.registry))) codeAt.set(registry, await this.#hasCode(context, registry));
      const withCode = askable.filter((entry) => codeAt.get(entry.keys.registry));

      const composed = withCode.length > this.#threshold;
      // Every read starts before any is awaited, so they run side by side (at most `concurrency` at a time); in bulk,
      // add() started them while the files were still being read (remembered: each is asked once).
      const viewReads = composed ? [] : this.#viewStatuses(context, withCode, onChain);
      for (const [key, record] of await settled(new Set(withCode.map((entry) => entry.keys.issuer)), (key) => this.#issuer(context, key))) issuers.set(key, record);
      const signed = withCode.filter((entry) => entry.query.signingKey !== undefined);
      for (const [key, record] of await settled(new Set(signed.map(signingKeyOf)), (key) => this.#signingKey(context, key))) signingKeys.set(key, record);
      await Promise.all(viewReads);
      if (composed) {
        // Composed from each batch record and 256-credential status word, the proofs checked off chain.
        const byBatch = firstByKey(withCode, (entry) => entry.keys.batch);
        const byWord = firstByKey(withCode, wordKeyOf);
        const records = await settled(byBatch.keys(), (key) => this.#record(context, byBatch.get(key)!));
        const words = await settled(byWord.keys(), (key) => this.#statusWords(context, byWord.get(key)!));
        for (const entry of withCode) onChain.set(entry.query.position, composedStatus(entry.query, records.get(entry.keys.batch)!, words.get(wordKeyOf(entry))!, issuers.get(entry.keys.issuer)!));
      }

      const anchored = withCode.filter((entry) => (onChain.get(entry.query.position)?.anchoredAt ?? 0) > 0);
      const firstOfBatch = firstByKey(anchored, (entry) => entry.keys.batch);
      const anchoredBlockOf = (key: string) => onChain.get(firstOfBatch.get(key)!.query.position)!.anchoredBlock;
      // The transaction that anchored each batch: one single-block eth_getLogs per batch.
      for (const [key, transaction] of await settled(firstOfBatch.keys(), (key) => this.#anchorTransaction(context, firstOfBatch.get(key)!, anchoredBlockOf(key)))) anchorTransactions.set(key, transaction);
      // Status events: only for credentials revoked or suspended now (or in a revoked batch), or for all with --at.
      const needHistory = anchored.filter((entry) => {
        const status = onChain.get(entry.query.position)!;
        return at.explicit || status.revoked || status.suspended || status.batchRevoked;
      });
      const events = await settled(new Set(needHistory.map((entry) => entry.keys.batch)), (key) => this.#history(context, firstOfBatch.get(key)!, anchoredBlockOf(key)));
      for (const entry of needHistory) {
        // One batch's history failing leaves only that batch without it (its steps say what could not be read).
        const batchEvents = events.get(entry.keys.batch);
        if (batchEvents === undefined) continue;
        const leafIndex = entry.query.credential.proof.leafIndex;
        histories.set(entry.query.position, batchEvents.filter((event) => event.index === null || event.index === leafIndex).map(({ index: _index, ...event }) => event));
      }
    } catch (error) {
      rpc = { ok: false, code: "RpcError", message: messageOf(error) };
    } finally {
      this.close();
    }
    return facts();
  }

  /** Stops taking credentials and releases the connection this gatherer opened itself, if any (finish() does too). */
  close(): void {
    this.#finished = true;
    this.#released = true;
    this.#ownedProvider?.destroy();
    this.#ownedProvider = undefined;
  }

  #canAsk(): boolean {
    return this.#options.provider !== undefined || this.#options.rpcUrl !== undefined;
  }

  /** Connects (unless given a provider), reads chain id and latest block, and the block of `at` if one was named. */
  #startContext(): Promise<ChainContext> {
    this.#context ??= (async () => {
      const options = this.#options;
      let provider = options.provider;
      if (provider === undefined) {
        provider = (await connectRpc(options.rpcUrl!, { timeoutMs: options.timeoutMs ?? 15_000 })).provider;
        if (this.#released) {
          provider.destroy();
          throw new Error("the chain reads were abandoned");
        }
        this.#ownedProvider = provider;
      }
      const [network, latestBlock] = await Promise.all([provider.getNetwork(), provider.getBlockNumber()]);
      let at = momentOf(options);
      if (options.at !== undefined && "block" in options.at) {
        const block = await provider.getBlock(options.at.block);
        if (block === null) throw new Error(`block ${options.at.block} does not exist yet on this chain (latest ${latestBlock})`);
        at = { time: block.timestamp, block: options.at.block, explicit: true };
      }
      return { provider, chainId: network.chainId, latestBlock, at };
    })();
    this.#context.catch(ignore);
    return this.#context;
  }

  /** Whether the credential names the chain served and a trusted registry: only then is the chain asked about it. */
  #askable(context: ChainContext, entry: Asked): boolean {
    return entry.query.credential.proof.anchor.chainId === `eip155:${context.chainId}` && this.#trusted.has(entry.keys.registry);
  }

  /** Starts (once each) the reads one credential of a bulk verification needs, as far as they are known yet. */
  #readAhead(context: ChainContext, entry: Asked): void {
    if (!this.#askable(context, entry)) return;
    const record = this.#record(context, entry);
    this.#issuer(context, entry.keys.issuer).catch(ignore);
    const words = this.#statusWords(context, entry);
    // The anchoring transaction and, where it will be needed, the batch's history: as soon as the record tells.
    void Promise.all([record, words]).then(([stored, bits]) => {
      if (stored === undefined || bits === undefined || stored.anchoredAt === 0) return;
      this.#anchorTransaction(context, entry, stored.anchoredBlock).catch(ignore);
      const bit = 1n << BigInt(entry.query.credential.proof.leafIndex % 256);
      if (context.at.explicit || stored.revokedAt !== 0 || (bits.revoked & bit) !== 0n || (bits.suspended & bit) !== 0n) void this.#history(context, entry, stored.anchoredBlock);
    }, ignore);
  }

  /** Few credentials: the registry's credentialStatuses view (which checks the proofs itself), 200 per call. */
  #viewStatuses(context: ChainContext, entries: readonly Asked[], onChain: Map<number, OnChainCredentialStatus>): Promise<void>[] {
    const reads: Promise<void>[] = [];
    for (const [registryKey, registryEntries] of groupBy(entries, (entry) => entry.keys.registry)) {
      const contract = registryContract(getAddress(registryKey), context.provider);
      for (let start = 0; start < registryEntries.length; start += DEFAULT_STATUS_CHUNK_SIZE) {
        const chunk = registryEntries.slice(start, start + DEFAULT_STATUS_CHUNK_SIZE);
        const queries = chunk.map(({ query: { credential, hashes } }) => ({ issuer: credential.proof.anchor.issuer, root: credential.proof.merkleRoot, index: credential.proof.leafIndex, credentialHash: hashes?.credentialHash ?? `0x${"00".repeat(32)}`, proof: credential.proof.merkleProof }));
        reads.push(this.#limit(() => readCredentialStatuses(contract, queries, DEFAULT_STATUS_CHUNK_SIZE, context.latestBlock)).then((statuses) => statuses.forEach((status, offset) => onChain.set(chunk[offset]!.query.position, status))));
      }
    }
    for (const read of reads) read.catch(ignore);
    return reads;
  }

  #hasCode(context: ChainContext, registry: string): Promise<boolean> {
    return remembered(this.#codeAt, registry, () => this.#limit(() => hasCode(context.provider, registry)));
  }

  /** The batch record, read once the registry is known to have code (undefined: no contract there). */
  #record(context: ChainContext, entry: Asked): Promise<BatchRecord | undefined> {
    const { anchor, merkleRoot } = entry.query.credential.proof;
    return remembered(this.#records, entry.keys.batch, async () => ((await this.#hasCode(context, entry.keys.registry)) ? this.#limit(() => readBatchRecord(context.provider, getAddress(entry.keys.registry), anchor.issuer, merkleRoot, context.latestBlock)) : undefined));
  }

  /** The 256-bit revoked and suspended words holding the credential's bits (undefined: no contract there). */
  #statusWords(context: ChainContext, entry: Asked): Promise<StatusWords | undefined> {
    const { anchor, merkleRoot, leafIndex } = entry.query.credential.proof;
    return remembered(this.#words, wordKeyOf(entry), async () => ((await this.#hasCode(context, entry.keys.registry)) ? this.#limit(() => readStatusWords(context.provider, getAddress(entry.keys.registry), anchor.issuer, merkleRoot, Math.floor(leafIndex / 256), context.latestBlock)) : undefined));
  }

  #issuer(context: ChainContext, issuerKey: string): Promise<IssuerFacts> {
    const [registry, issuer] = issuerKey.split(":") as [string, string];
    return remembered(this.#issuers, issuerKey, () => this.#limit(() => readIssuerRecord(context.provider, getAddress(registry), issuer, context.latestBlock)));
  }

  /** A signing key's record in the key registry the credential's registry created (null: it created none). */
  #signingKey(context: ChainContext, key: string): Promise<SigningKeyRecord | null> {
    const [registry, keyId] = key.split(":") as [string, string];
    const keyRegistry = keyRegistryAddressOf(getAddress(registry));
    return remembered(this.#signingKeys, key, async () => ((await this.#limit(() => hasCode(context.provider, keyRegistry))) ? this.#limit(() => readSigningKey(context.provider, keyRegistry, keyId, context.latestBlock)) : null));
  }

  #anchorTransaction(context: ChainContext, entry: Asked, anchoredBlock: number): Promise<string | null> {
    const { anchor, merkleRoot } = entry.query.credential.proof;
    return remembered(this.#anchorTransactions, entry.keys.batch, () => this.#limit(() => readAnchorTransaction(context.provider, anchor.registry, anchor.issuer, merkleRoot, anchoredBlock)));
  }

  /** The batch's status events, oldest first; undefined when they could not be read (that batch only). */
  #history(context: ChainContext, entry: Asked, anchoredBlock: number): Promise<IndexedEvent[] | undefined> {
    return remembered(this.#histories, entry.keys.batch, () =>
      this.#limitHistories(async () => {
        const { anchor, merkleRoot } = entry.query.credential.proof;
        const topics = [STATUS_EVENTS.map((name) => registryInterface.getEvent(name)!.topicHash), `0x${anchor.issuer.slice(2).toLowerCase().padStart(64, "0")}`, merkleRoot.toLowerCase()];
        // Through the one adaptive reader: public RPCs cap ranges and rates; a long history must not fail the verdict.
        const logs = await readAllLogs(context.provider, { address: anchor.registry, topics }, anchoredBlock, context.latestBlock);
        const events: IndexedEvent[] = [];
        for (const log of logs) {
          const parsed = registryInterface.parseLog(log);
          if (!parsed) continue;
          events.push({
            kind: KIND[parsed.name as keyof typeof KIND],
            reason: Number(parsed.args.reason),
            index: parsed.name === "BatchRevoked" ? null : Number(parsed.args.index),
            blockNumber: log.blockNumber,
            blockTime: await this.#blockTime(context, log.blockNumber),
            transactionHash: log.transactionHash,
            logIndex: log.index,
          });
        }
        return events;
      }).catch(() => undefined),
    );
  }

  #blockTime(context: ChainContext, block: number): Promise<number> {
    return remembered(this.#blockTimes, block, () => context.provider.getBlock(block).then((found) => found?.timestamp ?? 0));
  }
}

/** credentialStatus composed from the batch record, the status word and the issuer record, the proof checked off chain. */
function composedStatus(query: ChainQuery, stored: BatchRecord, bits: StatusWords, issuer: IssuerFacts): OnChainCredentialStatus {
  const index = query.credential.proof.leafIndex;
  const bit = 1n << BigInt(index % 256);
  return {
    proofValid: query.hashes?.included === true,
    indexInRange: index < stored.leafCount,
    revoked: (bits.revoked & bit) !== 0n,
    suspended: (bits.suspended & bit) !== 0n,
    batchRevoked: stored.revokedAt !== 0,
    leafCount: stored.leafCount,
    anchoredAt: stored.anchoredAt,
    anchoredBlock: stored.anchoredBlock,
    batchRevokedAt: stored.revokedAt,
    batchRevocationReason: stored.revocationReason,
    // The issuer's times come from its record, as the single view reports them.
    issuerAccreditedAt: issuer.accreditedAt,
    issuerDeactivatedAt: issuer.deactivatedAt,
  };
}

/** `registry:key` of a format v2 credential's signing key, lower case. */
export const signingKeyOf = (entry: { readonly keys: ChainKeys; readonly query: ChainQuery }) => `${entry.keys.registry}:${entry.query.signingKey!.toLowerCase()}`;

/** The key of a credential's status word: its batch and `floor(index / 256)`. */
const wordKeyOf = (entry: Asked) => `${entry.keys.batch}:${Math.floor(entry.query.credential.proof.leafIndex / 256)}`;

/** Runs tasks with at most `limit` in flight (a task must not wait, inside the limit, for another limited task). */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finishing task hands its place straight to the next waiting one (never more than `limit` in flight).
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running -= 1;
      else next();
    }
  };
}

/** The first item of each key, by key. */
function firstByKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const first = new Map<string, T>();
  for (const item of items) {
    const name = key(item);
    if (!first.has(name)) first.set(name, item);
  }
  return first;
}

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

/** Each key's value, once every read of them settled (the first rejection rejects). */
async function settled<T>(keys: Iterable<string>, read: (key: string) => Promise<T>): Promise<Map<string, T>> {
  const list = [...keys];
  const values = await Promise.all(list.map(read));
  return new Map(list.map((key, offset) => [key, values[offset]!]));
}

/** The promise remembered under `key`, made (once) by `make`; its rejection is kept for whoever awaits it. */
function remembered<K, T>(map: Map<K, Promise<T>>, key: K, make: () => Promise<T>): Promise<T> {
  let promise = map.get(key);
  if (promise === undefined) {
    promise = make();
    promise.catch(ignore);
    map.set(key, promise);
  }
  return promise;
}
