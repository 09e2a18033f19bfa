import type { Log, Provider } from "ethers";
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
};

/** RPC answers that mean "ask for fewer blocks" (providers word it differently). */
const RANGE_TOO_LARGE = /range|too many|more than|limit|exceed|too large|response size|10000/i;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth += 1) {
    const record = current as { message?: unknown; shortMessage?: unknown; error?: unknown; info?: unknown; cause?: unknown };
    for (const value of [record.shortMessage, record.message]) if (typeof value === "string") parts.push(value);
    current = record.error ?? (record.info as { error?: unknown } | undefined)?.error ?? record.cause;
  }
  return parts.join(" | ");
}

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

/** A log as the JSON-RPC returns it, with numbers decoded (no ethers Log objects: 100,000 of them are slow). */
type RawLog = { blockNumber: number; blockHash: string; transactionHash: string; index: number; topics: string[]; data: string };

async function getRawLogs(provider: Provider, address: string, fromBlock: number, toBlock: number): Promise<RawLog[]> {
  const send = (provider as { send?: (method: string, params: unknown[]) => Promise<unknown> }).send;
  if (typeof send !== "function") {
    const logs: Log[] = await provider.getLogs({ address, fromBlock, toBlock });
    return logs.map((log) => ({ blockNumber: log.blockNumber, blockHash: log.blockHash, transactionHash: log.transactionHash, index: log.index, topics: [...log.topics], data: log.data }));
  }
  const raw = (await send.call(provider, "eth_getLogs", [{ address, fromBlock: `0x${fromBlock.toString(16)}`, toBlock: `0x${toBlock.toString(16)}` }])) as {
    blockNumber: string;
    blockHash: string;
    transactionHash: string;
    logIndex: string;
    topics: string[];
    data: string;
    removed?: boolean;
  }[];
  return raw
    .filter((log) => log.removed !== true)
    .map((log) => ({ blockNumber: Number(log.blockNumber), blockHash: log.blockHash, transactionHash: log.transactionHash, index: Number(log.logIndex), topics: log.topics, data: log.data }));
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
  const report = { fromBlock: start, toBlock: latest, finalBlock: cursor?.finalBlock ?? options.fromBlock - 1, eventsRead: 0, getLogsCalls: 0, rangeReductions: 0, retries: 0 };

  let chunk = options.initialChunk ?? 2000;
  const maxChunk = options.maxChunk ?? 100_000;
  const blockCache = new Map<number, { time: number; hash: string }>();
  const transactionCache = new Map<string, { from: string; to: string | null }>();
  const registryAddress = registry.toLowerCase();
  let from = start;
  let failures = 0;
  while (from <= latest) {
    const to = Math.min(latest, from + chunk - 1);
    let logs: RawLog[];
    try {
      report.getLogsCalls += 1;
      logs = await getRawLogs(provider, registry, from, to);
    } catch (error) {
      const text = errorText(error);
      if (RANGE_TOO_LARGE.test(text) && chunk > 1) {
        chunk = Math.max(1, Math.floor(chunk / 2));
        report.rangeReductions += 1;
        continue;
      }
      report.retries += 1;
      failures += 1;
      if (failures > 6) throw new AuditIndexError(`Reading the registry's events failed: ${text || String(error)}.`, { metaMessages: ["Check the RPC endpoint, then run the command again: it resumes where it stopped."], cause: error });
      await sleep(200 * 2 ** Math.min(failures, 5));
      continue;
    }
    failures = 0;

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
    from = to + 1;
    if (logs.length < 2000 && chunk < maxChunk) chunk = Math.min(maxChunk, chunk * 2);
  }
  return report;
}
