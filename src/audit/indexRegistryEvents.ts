import type { Provider } from "ethers";
import { LogReadError, type RawLog, readLogsAdaptively } from "../chain/readLogsAdaptively.ts";
import { registryInterface } from "../chain/registryContract.ts";
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
 * uint256 index, uint8 reason)` by hand (ethers' parseLog costs about 150 µs a log), anything else with the ABI.
 */
function decodeLog(log: RawLog): DecodedLog | null {
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

/**
 * Brings the audit index of one registry up to date from `eth_getLogs` alone: reads from the last final block indexed
 * to the latest in adaptive ranges (halved when the RPC refuses a range, doubled while results stay small), retries
 * other failures with back-off, commits chunk by chunk with the cursor (an interrupted run resumes with no gap and no
 * duplicate), and keeps blocks newer than the confirmation depth as non-final, to be read again next time (reorgs).
 */
export async function indexRegistryEvents(options: IndexOptions): Promise<IndexReport> {
  const { provider, index, registry } = options;
  const chainId = options.chainId.toString();
  // A chain is its id and its genesis: a reset chain's events are kept apart from this one's.
  const genesis = await provider.getBlock(0);
  if (genesis?.hash) index.useChain(chainId, genesis.hash);
  const latest = options.untilBlock ?? (await provider.getBlockNumber());
  const finalTip = latest - options.confirmations;

  let cursor = index.cursor(chainId, registry);
  if (cursor?.finalBlockHash) {
    const block = await provider.getBlock(cursor.finalBlock);
    if (block?.hash !== cursor.finalBlockHash) {
      // The chain changed below the depth we called final: start again from the deployment block.
      index.reset(chainId, registry);
      cursor = undefined;
    }
  }
  index.dropNonFinal(chainId, registry);
  const start = Math.max(options.fromBlock, (cursor?.finalBlock ?? options.fromBlock - 1) + 1);
  const report = { fromBlock: start, toBlock: latest, finalBlock: cursor?.finalBlock ?? options.fromBlock - 1, eventsRead: 0, getLogsCalls: 0, rangeReductions: 0, retries: 0, rateLimited: 0 };

  const blockCache = new Map<number, { time: number; hash: string }>();
  const transactionCache = new Map<string, { from: string; to: string | null }>();
  const registryAddress = registry.toLowerCase();
  const ranges = readLogsAdaptively(provider, { address: registry }, start, latest, { initialChunk: options.initialChunk, maxChunk: options.maxChunk, stats: report });
  for (;;) {
    let next: IteratorResult<{ fromBlock: number; toBlock: number; logs: RawLog[] }>;
    try {
      next = await ranges.next();
    } catch (error) {
      if (error instanceof LogReadError) throw new AuditIndexError(error.shortMessage, { metaMessages: [...(error.metaMessages ?? []), "The index resumes where it stopped."], cause: error });
      throw error;
    }
    if (next.done) break;
    const { fromBlock: from, toBlock: to, logs } = next.value;

    // Accreditor interventions name themselves once per call, after the per-credential events.
    const parsedLogs = logs.map((log) => ({ log, parsed: decodeLog(log) }));
    const accreditorOf = new Map<string, string>();
    for (const { log, parsed } of parsedLogs) {
      if (parsed?.name === "StatusChangedByAccreditor") {
        accreditorOf.set(`${log.transactionHash}:${String(parsed.args.issuer).toLowerCase()}:${String(parsed.args.root).toLowerCase()}`, String(parsed.args.accreditor).toLowerCase());
      }
    }
    const events: AuditEvent[] = [];
    for (const { log, parsed } of parsedLogs) {
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
      // The event's own account of who acted (the registry's msg.sender, by the contract's rules).
      let claimed: string | null;
      switch (parsed.name) {
        case "IssuerAccredited":
        case "IssuerDeactivated":
        case "StatusChangedByAccreditor":
          claimed = lower(args.accreditor);
          break;
        case "BatchRevoked":
          claimed = lower(args.actor);
          break;
        case "RoleGranted":
        case "RoleRevoked":
          claimed = lower(args.sender);
          break;
        default:
          // Anchors and status changes: the accreditor that the same transaction names for this batch, else the issuer.
          claimed = accreditorOf.get(`${log.transactionHash}:${issuer}:${root}`) ?? issuer ?? sender;
      }
      // Who acted, as a fact: a transaction sent straight to the registry makes its sender the registry's msg.sender,
      // whatever the event says. Through another contract (a contract wallet, a relayer) the transaction does not
      // show msg.sender: the event's account stands, and the sender differs from the actor.
      const actor = transaction.to === registryAddress && sender !== "" ? sender : claimed;
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
    index.commit(chainId, registry, events, newCursor);
    options.onProgress?.(to, latest);
  }
  return report;
}
