import type { Provider } from "ethers";
import { keyRegistryAddressOf } from "../chain/keyRegistryAddressOf.ts";
import { keyRegistryInterface } from "../chain/keyRegistryContract.ts";
import { LogReadError, type RawLog, readAllLogs, readLogsAdaptively } from "../chain/readLogsAdaptively.ts";
import { registryInterface } from "../chain/registryContract.ts";
import { hasCode } from "../chain/registryReads.ts";
import { BaseError } from "../errors/BaseError.ts";
import type { AuditEvent, AuditIndex } from "./AuditIndex.ts";

/** The registry's history cannot be read (an RPC that keeps failing, or a reorg deeper than the depth). */
export class AuditIndexError extends BaseError {
  override name = "AuditIndexError";
}

export type IndexOptions = {
  readonly provider: Provider;
  readonly index: AuditIndex;
  readonly chainId: bigint;
  readonly registry: string;
  /** The registry's deployment block (nothing before it can hold its events). */
  readonly fromBlock: number;
  /** Blocks this deep are final; newer ones are stored as non-final and read again on every update. */
  readonly confirmations: number;
  /** First eth_getLogs range, in blocks (default 2,000); halved on "range too large", grown when small. */
  readonly initialChunk?: number | undefined;
  readonly maxChunk?: number | undefined;
  /** Stop at this block instead of the latest (for tests of interrupted runs). */
  readonly untilBlock?: number | undefined;
  readonly onProgress?: ((indexedTo: number, latest: number) => void) | undefined;
};

export type IndexReport = {
  readonly fromBlock: number;
  readonly toBlock: number;
  readonly finalBlock: number;
  readonly eventsRead: number;
  readonly getLogsCalls: number;
  readonly rangeReductions: number;
  readonly retries: number;
  /** Retries that were the RPC's rate limit (not a range problem). */
  readonly rateLimited: number;
  /** The registry's IssuerKeyRegistry, whose events were indexed with the registry's; null for a registry without one. */
  readonly keyRegistry: string | null;
};

const lower = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : null);

type DecodedLog = { name: string; args: readonly unknown[] & Record<string, unknown>; fragment: { inputs: readonly { name: string }[] } };

/** The per-credential events, by topic: decoded by hand (they are nearly all of a registry's events). */
const CREDENTIAL_EVENTS = new Map(
  ["CredentialRevoked", "CredentialSuspended", "CredentialReinstated"].map((name) => [registryInterface.getEvent(name)!.topicHash, name] as const),
);
const CREDENTIAL_INPUTS = [{ name: "issuer" }, { name: "root" }, { name: "index" }, { name: "reason" }];

/**
 * Decodes a registry log: `CredentialRevoked/Suspended/Reinstated(address indexed issuer, bytes32 indexed root,
 * uint256 index, uint8 reason)` by hand (ethers' parseLog costs about 150 µs a log), anything else with the ABI; a key
 * registry log (`fromKeyRegistry`) with the key registry's ABI.
 */
function decodeLog(log: RawLog, fromKeyRegistry: boolean): DecodedLog | null {
  if (fromKeyRegistry) {
    const parsed = keyRegistryInterface.parseLog(log);
    return parsed === null ? null : { name: parsed.name, args: parsed.args as unknown as DecodedLog["args"], fragment: parsed.fragment };
  }
  const name = CREDENTIAL_EVENTS.get(log.topics[0] ?? "");
  if (name !== undefined && log.topics.length === 3 && log.data.length === 130) {
    const issuer = `0x${log.topics[1]!.slice(26)}`;
    const root = log.topics[2]!;
    const index = BigInt(`0x${log.data.slice(2, 66)}`);
    const reason = BigInt(`0x${log.data.slice(66, 130)}`);
    const args = Object.assign([issuer, root, index, reason], { issuer, root, index, reason }) as unknown as DecodedLog["args"];
    return { name, args, fragment: { inputs: CREDENTIAL_INPUTS } };
  }
  const parsed = registryInterface.parseLog(log);
  return parsed === null ? null : { name: parsed.name, args: parsed.args as unknown as DecodedLog["args"], fragment: parsed.fragment };
}

/** A failure to read logs as the auditor reports it (the index resumes where it stopped). */
async function explainLogRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof LogReadError) throw new AuditIndexError(error.shortMessage, { metaMessages: [...(error.metaMessages ?? []), "The index resumes where it stopped."], cause: error });
    throw error;
  }
}

/**
 * Brings the audit index of one registry up to date from `eth_getLogs` alone: reads from the last final block indexed
 * to the latest in adaptive ranges (halved when the RPC refuses a range, doubled while results stay small), retries
 * other failures with back-off, commits chunk by chunk with the cursor (an interrupted run resumes with no gap and no
 * duplicate), and keeps blocks newer than the confirmation depth as non-final, to be read again next time (reorgs).
 *
 * The registry's IssuerKeyRegistry (at the address derived from the registry's, when it has code there: a registry
 * deployed before format v2 has none) is read over the same ranges, its events kept with the registry's under the
 * registry's address, so that one cursor, one reorg rule and one query cover both. Its own cursor moves with the
 * registry's; an index built before key events were read (its key cursor missing or behind) is read again from there.
 */
export async function indexRegistryEvents(options: IndexOptions): Promise<IndexReport> {
  const { provider, index, registry } = options;
  const chainId = options.chainId.toString();
  // A chain is its id and its genesis: a reset chain's events are kept apart from this one's.
  const genesis = await provider.getBlock(0);
  if (genesis?.hash) index.useChain(chainId, genesis.hash);
  const latest = options.untilBlock ?? (await provider.getBlockNumber());
  const finalTip = latest - options.confirmations;
  const derivedKeyRegistry = keyRegistryAddressOf(registry);
  const keyRegistry = (await hasCode(provider, derivedKeyRegistry)) ? derivedKeyRegistry : null;

  let cursor = index.cursor(chainId, registry);
  let keyCursor = keyRegistry === null ? undefined : index.cursor(chainId, keyRegistry);
  for (const kept of [cursor, keyCursor]) {
    if (!kept?.finalBlockHash) continue;
    const block = await provider.getBlock(kept.finalBlock);
    if (block?.hash !== kept.finalBlockHash) {
      // The chain changed below the depth we called final: start again from the deployment block.
      index.reset(chainId, registry);
      cursor = undefined;
      keyCursor = undefined;
      break;
    }
  }
  index.dropNonFinal(chainId, registry);
  const nextOf = (kept: { finalBlock: number } | undefined) => (kept?.finalBlock ?? options.fromBlock - 1) + 1;
  // Both sources from where the one further behind stopped: blocks read again are stored again, identical.
  const start = Math.max(options.fromBlock, keyRegistry === null ? nextOf(cursor) : Math.min(nextOf(cursor), nextOf(keyCursor)));
  const report = { fromBlock: start, toBlock: latest, finalBlock: start - 1, eventsRead: 0, getLogsCalls: 0, rangeReductions: 0, retries: 0, rateLimited: 0, keyRegistry };

  const blockCache = new Map<number, { time: number; hash: string }>();
  const transactionCache = new Map<string, { from: string; to: string | null }>();
  const registryAddress = registry.toLowerCase();
  const keyRegistryAddress = keyRegistry?.toLowerCase() ?? null;
  const ranges = readLogsAdaptively(provider, { address: registry }, start, latest, { initialChunk: options.initialChunk, maxChunk: options.maxChunk, stats: report });
  for (;;) {
    const next = await explainLogRead(() => ranges.next());
    if (next.done) break;
    const { fromBlock: from, toBlock: to, logs } = next.value;
    // The key registry's logs of the same range (one call unless the RPC refuses the range), merged in chain order.
    const keyLogs =
      keyRegistry === null ? [] : await explainLogRead(() => readAllLogs(provider, { address: keyRegistry }, from, to, { initialChunk: to - from + 1, maxChunk: to - from + 1, stats: report }));
    const sourced = [...logs.map((log) => ({ log, fromKeyRegistry: false })), ...keyLogs.map((log) => ({ log, fromKeyRegistry: true }))];
    if (keyLogs.length > 0) sourced.sort((a, b) => a.log.blockNumber - b.log.blockNumber || a.log.index - b.log.index);

    // Accreditor interventions name themselves once per call, after the per-credential events.
    const parsedLogs = sourced.map(({ log, fromKeyRegistry }) => ({ log, fromKeyRegistry, parsed: decodeLog(log, fromKeyRegistry) }));
    const accreditorOf = new Map<string, string>();
    for (const { log, parsed, fromKeyRegistry } of parsedLogs) {
      if (!fromKeyRegistry && parsed?.name === "StatusChangedByAccreditor") {
        accreditorOf.set(`${log.transactionHash}:${String(parsed.args.issuer).toLowerCase()}:${String(parsed.args.root).toLowerCase()}`, String(parsed.args.accreditor).toLowerCase());
      }
    }
    const events: AuditEvent[] = [];
    for (const { log, parsed, fromKeyRegistry } of parsedLogs) {
      if (!parsed) continue;
      let block = blockCache.get(log.blockNumber);
      if (block === undefined) {
        const fetched = await provider.getBlock(log.blockNumber);
        block = { time: fetched?.timestamp ?? 0, hash: fetched?.hash ?? log.blockHash };
        blockCache.set(log.blockNumber, block);
      }
      let transaction = transactionCache.get(log.transactionHash);
      if (transaction === undefined) {
        const fetched = await provider.getTransaction(log.transactionHash);
        transaction = { from: (fetched?.from ?? "").toLowerCase(), to: fetched?.to?.toLowerCase() ?? null };
        transactionCache.set(log.transactionHash, transaction);
      }
      const sender = transaction.from;
      const args: Record<string, string> = {};
      parsed.fragment.inputs.forEach((input, position) => {
        args[input.name] = String(parsed.args[position]);
      });
      const issuer = lower(args.issuer);
      const root = lower(args.root);
      // The event's own account of who acted (the emitting contract's msg.sender, by the contract's rules).
      let claimed: string | null;
      switch (parsed.name) {
        case "IssuerAccredited":
        case "IssuerDeactivated":
        case "StatusChangedByAccreditor":
          claimed = lower(args.accreditor);
          break;
        case "BatchRevoked":
        case "SigningKeyRevoked":
          claimed = lower(args.actor);
          break;
        case "RoleGranted":
        case "RoleRevoked":
          claimed = lower(args.sender);
          break;
        default:
          // Anchors and status changes: the accreditor that the same transaction names for this batch, else the issuer.
          // A key's addition and retirement: its issuer (the key registry takes them from the issuer only).
          claimed = (fromKeyRegistry ? undefined : accreditorOf.get(`${log.transactionHash}:${issuer}:${root}`)) ?? issuer ?? sender;
      }
      // Who acted, as a fact: a transaction sent straight to the emitting contract makes its sender that contract's
      // msg.sender, whatever the event says. Through another contract (a contract wallet, a relayer) the transaction
      // does not show msg.sender: the event's account stands, and the sender differs from the actor.
      const emitter = fromKeyRegistry ? keyRegistryAddress : registryAddress;
      const actor = transaction.to === emitter && sender !== "" ? sender : claimed;
      events.push({
        blockNumber: log.blockNumber,
        logIndex: log.index,
        blockHash: log.blockHash,
        blockTime: block.time,
        transactionHash: log.transactionHash,
        sender,
        event: parsed.name,
        issuer,
        root,
        leafIndex: args.index === undefined ? null : Number(args.index),
        reason: args.reason === undefined ? null : Number(args.reason),
        actor,
        args,
        final: log.blockNumber <= finalTip,
      });
    }
    report.eventsRead += events.length;
    // The cursor only ever moves over final blocks.
    const finalEnd = Math.min(to, finalTip);
    let newCursor: { finalBlock: number; finalBlockHash: string | null } | undefined;
    if (finalEnd >= from) {
      const cached = blockCache.get(finalEnd);
      newCursor = { finalBlock: finalEnd, finalBlockHash: cached?.hash ?? (await provider.getBlock(finalEnd))?.hash ?? null };
      report.finalBlock = finalEnd;
    }
    index.commit(chainId, registry, events, newCursor, keyRegistry === null ? [] : [keyRegistry]);
    options.onProgress?.(to, latest);
  }
  return report;
}
