import { type Contract, getAddress, type JsonRpcProvider, type Log } from "ethers";
import { checkInclusion, type InclusionCheck } from "../batch/checkInclusion.ts";
import { connectRpc } from "../chain/connectRpc.ts";
import type { OnChainCredentialStatus } from "../chain/readCredentialStatus.ts";
import { DEFAULT_STATUS_CHUNK_SIZE, type RawStatus, toOnChainStatus } from "../chain/readCredentialStatus.ts";
import { registryContract, registryInterface } from "../chain/registryContract.ts";
import type { Credential } from "../credential/credentialSchema.ts";
import { validateCredential } from "../credential/validateCredential.ts";
import { BaseError } from "../errors/BaseError.ts";
import { anchorStep } from "./steps/anchorStep.ts";
import { chainStep } from "./steps/chainStep.ts";
import { formatStep } from "./steps/formatStep.ts";
import { inclusionStep } from "./steps/inclusionStep.ts";
import { integrityStep } from "./steps/integrityStep.ts";
import { issuerStep } from "./steps/issuerStep.ts";
import { recipientStep } from "./steps/recipientStep.ts";
import { statusStep } from "./steps/statusStep.ts";
import { validityStep } from "./steps/validityStep.ts";
import {
  type CredentialFacts,
  type IssuerFacts,
  STEP_NAMES,
  type StatusEvent,
  type VerificationResult,
  type VerificationStep,
  type VerifyOptions,
} from "./verificationTypes.ts";

type Rpc = NonNullable<CredentialFacts["rpc"]>;

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

type Askable = { position: number; credential: Credential | undefined; hashes: InclusionCheck | undefined };

/**
 * The answer of credentialStatus, composed from the registry's `batch` record and `statusWords` (one read per batch
 * and per 256 credentials) and the off-chain proof check: what bulk verification uses. The issuer times are filled
 * in from the issuer records afterwards.
 */
function composedStatusTasks(registry: Contract, entries: readonly Askable[], onChain: Map<number, OnChainCredentialStatus>): (() => Promise<void>)[] {
  const byBatch = new Map<string, Askable[]>();
  for (const entry of entries) {
    const key = `${entry.credential!.proof.anchor.issuer}:${entry.credential!.proof.merkleRoot}`.toLowerCase();
    byBatch.set(key, [...(byBatch.get(key) ?? []), entry]);
  }
  return [...byBatch.values()].map((batchEntries) => async () => {
    const { anchor, merkleRoot } = batchEntries[0]!.credential!.proof;
    const stored = await registry.getFunction("batch")(anchor.issuer, merkleRoot);
    const leafCount = Number(stored.leafCount);
    const words = new Map<number, Promise<[bigint, bigint]>>();
    for (const entry of batchEntries) {
      const word = Math.floor(entry.credential!.proof.leafIndex / 256);
      if (!words.has(word)) words.set(word, registry.getFunction("statusWords")(anchor.issuer, merkleRoot, word) as Promise<[bigint, bigint]>);
    }
    for (const entry of batchEntries) {
      const index = entry.credential!.proof.leafIndex;
      const [revokedBits, suspendedBits] = await words.get(Math.floor(index / 256))!;
      const bit = 1n << BigInt(index % 256);
      onChain.set(entry.position, {
        proofValid: entry.hashes?.included === true,
        indexInRange: index < leafCount,
        revoked: (revokedBits & bit) !== 0n,
        suspended: (suspendedBits & bit) !== 0n,
        batchRevoked: stored.revokedAt !== 0n,
        leafCount,
        anchoredAt: Number(stored.anchoredAt),
        anchoredBlock: Number(stored.anchoredBlock),
        batchRevokedAt: Number(stored.revokedAt),
        batchRevocationReason: Number(stored.revocationReason),
        issuerAccreditedAt: 0,
        issuerDeactivatedAt: 0,
      });
    }
  });
}

/** Runs the steps over gathered facts, in dependency order, and reports them in the documented order. */
function judge(facts: CredentialFacts): VerificationResult {
  const format = formatStep(facts);
  const formatOk = format.status === "passed";
  const integrity = integrityStep(facts, formatOk);
  const chain = chainStep(facts, formatOk);
  const chainOk = chain.status === "passed";
  const inclusion = inclusionStep(facts, integrity.status === "passed", chainOk);
  const anchor = anchorStep(facts, chainOk);
  const issuer = issuerStep(facts, chainOk);
  const status = statusStep(facts, anchor.status === "passed");
  const validity = validityStep(facts, formatOk);
  const recipient = recipientStep(facts, formatOk);
  const byName: Record<string, VerificationStep> = { format, integrity, inclusion, anchor, issuer, status, validity, chain, recipient };
  const steps = STEP_NAMES.map((name) => byName[name]!);
  const anyFailed = steps.some((step) => step.status === "failed");
  const blocked = steps.find((step) => step.details.couldNotVerify === true);
  const credential = facts.credential;
  const holder = credential?.credentialSubject.identifier.find((identity) => identity.identityType === "name")?.identityHash;
  return {
    status: anyFailed ? "invalid" : blocked ? "error" : "valid",
    steps,
    summary: {
      credentialId: credential?.id,
      holder,
      achievement: credential?.credentialSubject.achievement.name,
      issuerProfileId: credential?.issuer.id,
      issuerName: facts.issuer?.name ?? credential?.issuer.name,
      root: credential?.proof.merkleRoot,
      leafIndex: credential?.proof.leafIndex,
    },
    ...(blocked && !anyFailed ? { error: { code: "CouldNotVerify", message: String(blocked.message) } } : {}),
  };
}

/**
 * Verifies many credentials against the chain alone: every step of {@link verifyCredential} for each, with the
 * chain asked in bulk (one `credentialStatuses` call per 200 credentials, bounded concurrency; one issuer read per
 * issuer; status events only for credentials that need them). Never throws for an invalid credential or an
 * unreachable RPC: each result says `valid`, `invalid` or `error` and why, step by step.
 */
export async function verifyCredentials(inputs: readonly unknown[], options: VerifyOptions): Promise<VerificationResult[]> {
  const trusted = new Set(options.trustedRegistries.map((address) => address.toLowerCase()));
  const base = inputs.map((input) => {
    const validation = validateCredential(input);
    const credential = validation.ok ? validation.value : undefined;
    let hashes;
    try {
      hashes = credential === undefined ? undefined : checkInclusion(credential);
    } catch {
      hashes = undefined;
    }
    return { input, credential, formatProblems: validation.ok ? [] : validation.problems, hashes };
  });

  const now = Math.floor(Date.now() / 1000);
  let at: CredentialFacts["at"] = { time: options.at !== undefined && "date" in options.at ? Math.floor(options.at.date.getTime() / 1000) : now, explicit: options.at !== undefined };
  let rpc: Rpc | undefined;
  let provider: JsonRpcProvider | undefined = options.provider;
  const ownsProvider = provider === undefined;
  const onChain = new Map<number, OnChainCredentialStatus>();
  const issuers = new Map<string, IssuerFacts>();
  const histories = new Map<string, StatusEvent[]>();
  const codeAt = new Map<string, boolean>();
  const chainFailure = (error: unknown): Rpc => ({ ok: false, code: "RpcError", message: messageOf(error) });

  const candidates = base.map((entry, position) => ({ ...entry, position })).filter((entry) => entry.credential !== undefined);
  if (candidates.length > 0 && (provider !== undefined || options.rpcUrl !== undefined)) {
    try {
      if (provider === undefined) provider = (await connectRpc(options.rpcUrl!, { timeoutMs: options.timeoutMs ?? 15_000 })).provider;
      const [network, latestBlock] = await Promise.all([provider.getNetwork(), provider.getBlockNumber()]);
      rpc = { ok: true, chainId: network.chainId, latestBlock };
      if (options.at !== undefined && "block" in options.at) {
        const block = await provider.getBlock(options.at.block);
        if (block === null) throw new Error(`block ${options.at.block} does not exist yet on this chain (latest ${latestBlock})`);
        at = { time: block.timestamp, block: options.at.block, explicit: true };
      }
    } catch (error) {
      rpc = chainFailure(error);
    }
  }

  if (rpc?.ok && provider !== undefined) {
    const live = provider;
    const served = `eip155:${rpc.chainId}`;
    const askable = candidates.filter((entry) => entry.credential!.proof.anchor.chainId === served && trusted.has(entry.credential!.proof.anchor.registry.toLowerCase()));
    try {
      for (const registry of new Set(askable.map((entry) => entry.credential!.proof.anchor.registry.toLowerCase()))) {
        codeAt.set(registry, (await live.getCode(registry)) !== "0x");
      }
      const withCode = askable.filter((entry) => codeAt.get(entry.credential!.proof.anchor.registry.toLowerCase()));
      // Steps 3 to 6 from the bulk view: 200 credentials per eth_call, a few calls in flight.
      const byRegistry = new Map<string, typeof withCode>();
      for (const entry of withCode) {
        const key = entry.credential!.proof.anchor.registry.toLowerCase();
        byRegistry.set(key, [...(byRegistry.get(key) ?? []), entry]);
      }
      const tasks: (() => Promise<void>)[] = [];
      // Few credentials: the registry's credentialStatuses view (proofs verified by the contract), 200 per call.
      // Many: each batch record and each 256-credential status word read once, the proofs checked off chain with the
      // same sorted-pair rule (the node re-executing MerkleProof costs milliseconds per credential).
      const composed = withCode.length > (options.bulkThreshold ?? 20);
      for (const [registryAddress, entries] of byRegistry) {
        const registry = registryContract(getAddress(registryAddress), live);
        if (composed) tasks.push(...composedStatusTasks(registry, entries, onChain));
        else {
          for (let start = 0; start < entries.length; start += DEFAULT_STATUS_CHUNK_SIZE) {
            const chunk = entries.slice(start, start + DEFAULT_STATUS_CHUNK_SIZE);
            tasks.push(async () => {
              const raw = (await registry.getFunction("credentialStatuses")(
                chunk.map((entry) => {
                  const proof = entry.credential!.proof;
                  return [proof.anchor.issuer, proof.merkleRoot, proof.leafIndex, entry.hashes?.credentialHash ?? `0x${"00".repeat(32)}`, proof.merkleProof];
                }),
              )) as RawStatus[];
              raw.forEach((status, offset) => onChain.set(chunk[offset]!.position, toOnChainStatus(status)));
            });
          }
        }
        for (const issuer of new Set(entries.map((entry) => entry.credential!.proof.anchor.issuer.toLowerCase()))) {
          tasks.push(async () => {
            const record = await registry.getFunction("issuer")(issuer);
            issuers.set(`${registryAddress}:${issuer}`, {
              name: record.name,
              profileId: record.profileId,
              accreditedAt: Number(record.accreditedAt),
              deactivatedAt: Number(record.deactivatedAt),
              deactivationReason: Number(record.deactivationReason),
            });
          });
        }
      }
      await pool(tasks, options.concurrency ?? 8);
      if (composed) {
        // The issuer's times come from its record (read above), as the single view reports them.
        for (const entry of withCode) {
          const status = onChain.get(entry.position);
          const issuer = issuers.get(`${entry.credential!.proof.anchor.registry.toLowerCase()}:${entry.credential!.proof.anchor.issuer.toLowerCase()}`);
          if (status !== undefined && issuer !== undefined) onChain.set(entry.position, { ...status, issuerAccreditedAt: issuer.accreditedAt, issuerDeactivatedAt: issuer.deactivatedAt });
        }
      }

      // Status events: only for batches where a credential is revoked or suspended now, or for every batch with --at.
      const needHistory = withCode.filter((entry) => {
        const status = onChain.get(entry.position);
        return status !== undefined && status.anchoredAt > 0 && (at.explicit || status.revoked || status.suspended || status.batchRevoked);
      });
      const batches = new Map<string, { registry: string; issuer: string; root: string; fromBlock: number }>();
      for (const entry of needHistory) {
        const { anchor, merkleRoot } = entry.credential!.proof;
        const key = `${anchor.registry}:${anchor.issuer}:${merkleRoot}`.toLowerCase();
        batches.set(key, { registry: anchor.registry, issuer: anchor.issuer, root: merkleRoot, fromBlock: onChain.get(entry.position)!.anchoredBlock });
      }
      const blockTimes = new Map<number, number>();
      await pool(
        [...batches].map(([key, batch]) => async () => {
          const topics = [STATUS_EVENTS.map((name) => registryInterface.getEvent(name)!.topicHash), `0x${batch.issuer.slice(2).toLowerCase().padStart(64, "0")}`, batch.root.toLowerCase()];
          const logs: Log[] = await live.getLogs({ address: batch.registry, topics, fromBlock: batch.fromBlock, toBlock: "latest" });
          const events: (StatusEvent & { index: number | null })[] = [];
          for (const log of logs) {
            const parsed = registryInterface.parseLog(log);
            if (!parsed) continue;
            if (!blockTimes.has(log.blockNumber)) blockTimes.set(log.blockNumber, (await live.getBlock(log.blockNumber))?.timestamp ?? 0);
            events.push({
              kind: KIND[parsed.name as keyof typeof KIND],
              reason: Number(parsed.args.reason),
              index: parsed.name === "BatchRevoked" ? null : Number(parsed.args.index),
              blockNumber: log.blockNumber,
              blockTime: blockTimes.get(log.blockNumber)!,
              transactionHash: log.transactionHash,
              logIndex: log.index,
            });
          }
          for (const entry of needHistory) {
            const { anchor, merkleRoot, leafIndex } = entry.credential!.proof;
            if (`${anchor.registry}:${anchor.issuer}:${merkleRoot}`.toLowerCase() !== key) continue;
            histories.set(
              String(entry.position),
              events.filter((event) => event.index === null || event.index === leafIndex).map(({ index: _index, ...event }) => event),
            );
          }
        }),
        options.concurrency ?? 4,
      );
    } catch (error) {
      rpc = chainFailure(error);
    }
  }
  if (ownsProvider) provider?.destroy();

  return base.map((entry, position) => {
    const anchor = entry.credential?.proof.anchor;
    const registryKey = anchor?.registry.toLowerCase();
    const facts: CredentialFacts = {
      ...entry,
      at,
      rpc,
      registry: registryKey === undefined ? undefined : { trusted: trusted.has(registryKey), hasCode: codeAt.get(registryKey) },
      onChain: onChain.get(position),
      issuer: anchor === undefined ? undefined : issuers.get(`${registryKey}:${anchor.issuer.toLowerCase()}`),
      history: histories.get(String(position)),
      options,
    };
    return judge(facts);
  });
}

/**
 * Verifies one credential with nothing but a JSON-RPC endpoint: format, integrity, inclusion, anchor, issuer,
 * status, validity, chain (and the recipient, when asked). Returns a result value; never throws for an invalid
 * credential, and an RPC failure or unknown contract is `error` ("could not verify"), never `invalid`.
 */
export async function verifyCredential(credential: unknown, options: VerifyOptions): Promise<VerificationResult> {
  const [result] = await verifyCredentials([credential], options);
  return result!;
}

/** The result for input that is not even JSON: the format step fails with `reason`; nothing else is checked. */
export function unreadableCredential(reason: string, options: VerifyOptions): VerificationResult {
  return judge({
    input: undefined,
    credential: undefined,
    formatProblems: [{ path: "$", message: reason }],
    hashes: undefined,
    at: { time: Math.floor(Date.now() / 1000), explicit: false },
    rpc: undefined,
    registry: undefined,
    onChain: undefined,
    issuer: undefined,
    history: undefined,
    options,
  });
}
