import { encodeBase58, type Signer } from "ethers";
import { keyRegistryInterface } from "../chain/keyRegistryContract.ts";
import { readSigningKey, type SigningKeyRecord } from "../chain/keyRegistryReads.ts";
import { describeReason } from "../chain/reasonCodes.ts";
import { type SigningKeySource, signingKeyOf } from "../config/loadSigningKey.ts";
import { signingKeyIdOf } from "../credential/v2/signingKeyIdOf.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { MAX_KEY_GENERATIONS, requireKeyRegistry } from "./ensureSigningKey.ts";
import type { ChainContext } from "../chain/openChain.ts";
import { signRecordAndBroadcast, waitRecorded } from "./sendRecordedTransaction.ts";
import { isTemplateV2 } from "./storedTemplateV2.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** Where a key stands in the key registry, for this issuer. */
export type SigningKeyStateName = "in-use" | "retired" | "revoked" | "not-bound" | "bound-to-another-issuer";

/** One of the issuer's signing keys with its on-chain record (times as UTC date-times, null = never). */
export type SigningKeyEntry = {
  /** The derived generation (1, 2, …); 1 for CREDREG_SIGNING_KEY; null for a key named by --key. */
  readonly generation: number | null;
  readonly did: string;
  /** The key as the key registry names it (bytes32). */
  readonly key: string;
  readonly state: SigningKeyStateName;
  readonly boundTo: string | null;
  readonly addedAt: string | null;
  readonly retiredAt: string | null;
  readonly compromisedAt: string | null;
  readonly revokedAt: string | null;
  readonly revocationReason: number | null;
  readonly reasonName: string | null;
};

const iso = (seconds: number) => (seconds === 0 ? null : `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`);

/** The `did:key` of a raw Ed25519 public key (bytes32): multibase base58btc of the multicodec header 0xed 0x01 and the key. */
export function didOfSigningKey(key: string): string {
  return `did:key:z${encodeBase58(`0xed01${key.slice(2)}`)}`;
}

function entryOf(generation: number | null, did: string, key: string, record: SigningKeyRecord, issuer: string): SigningKeyEntry {
  const bound = record.issuer !== ZERO_ADDRESS;
  const state: SigningKeyStateName = !bound
    ? "not-bound"
    : record.issuer.toLowerCase() !== issuer.toLowerCase()
      ? "bound-to-another-issuer"
      : record.revokedAt !== 0
        ? "revoked"
        : record.retiredAt !== 0
          ? "retired"
          : "in-use";
  return {
    generation,
    did,
    key,
    state,
    boundTo: bound ? record.issuer : null,
    addedAt: iso(record.addedAt),
    retiredAt: iso(record.retiredAt),
    compromisedAt: iso(record.compromisedAt),
    revokedAt: iso(record.revokedAt),
    revocationReason: record.revokedAt === 0 ? null : record.revocationReason,
    reasonName: record.revokedAt === 0 ? null : describeReason(record.revocationReason).name,
  };
}

export type SigningKeyList = {
  readonly keyRegistry: string;
  readonly issuer: string;
  /** CREDREG_SIGNING_KEY ("explicit"), or derived from the issuer's Ethereum key, one key per generation. */
  readonly source: SigningKeySource["kind"];
  /** The generation that signs new credentials (bound, neither retired nor revoked); null when none is bound yet. */
  readonly inUse: number | null;
  /** Every generation bound so far, then the first one not bound yet (the next issue binds it when none is in use). */
  readonly keys: readonly SigningKeyEntry[];
};

/**
 * The issuer's signing keys from `source` with their records in the key registry: generation 1, 2, … up to and
 * including the first one never bound (CREDREG_SIGNING_KEY: its one key). What `credreg issue` signs with is the first
 * generation neither retired nor revoked.
 */
export async function listSigningKeys(chain: ChainContext, issuer: string, source: SigningKeySource): Promise<SigningKeyList> {
  const keyRegistry = await requireKeyRegistry(chain);
  const keys: SigningKeyEntry[] = [];
  const last = source.kind === "explicit" ? 1 : MAX_KEY_GENERATIONS;
  for (let generation = 1; generation <= last; generation += 1) {
    const pair = await signingKeyOf(source, generation);
    const key = signingKeyIdOf(pair.publicKeyMultibase)!;
    const entry = entryOf(generation, pair.controller, key, await readSigningKey(chain.provider, keyRegistry, key), issuer);
    keys.push(entry);
    if (entry.state === "not-bound" || entry.state === "bound-to-another-issuer") break;
  }
  const inUse = keys.find((entry) => entry.state === "in-use")?.generation ?? null;
  return { keyRegistry, issuer, source: source.kind, inUse, keys };
}

/** Which key to act on: `--generation N`, `--key <did:key|z6Mk…|0x…>`, or (neither) the key in use. */
export type KeyChoice = { readonly generation?: number | undefined; readonly key?: string | undefined };

/** `--generation` as a number, or the user's mistake in one sentence. */
export function parseGeneration(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_KEY_GENERATIONS) {
    throw new InvalidInputError(`--generation ${text} is not a key generation.`, [`Give a whole number from 1 to ${MAX_KEY_GENERATIONS} (see credreg key list).`]);
  }
  return Number(text);
}

/** `--key` as the key registry names it (bytes32), or the user's mistake in one sentence. */
export function parseKey(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const key = /^0x[0-9a-fA-F]{64}$/.test(text) ? text.toLowerCase() : signingKeyIdOf(text);
  if (key === undefined) throw new InvalidInputError(`--key ${text} is not an Ed25519 signing key.`, ["Give its did:key (did:key:z6Mk…), its multibase form (z6Mk…) or its 0x-prefixed 32 bytes."]);
  return key;
}

type Target = { readonly keyRegistry: string; readonly generation: number | null; readonly did: string; readonly key: string; readonly record: SigningKeyRecord };

/**
 * The key `choice` names, with its record; the key in use when it names none. `source` (the signer's signing keys) is
 * only needed when `choice` has no `key`.
 */
async function resolveTarget(chain: ChainContext, issuer: string, source: SigningKeySource | undefined, choice: KeyChoice, action: string): Promise<Target> {
  if (choice.generation !== undefined && choice.key !== undefined) throw new InvalidInputError("Give --generation or --key, not both.", ["See credreg key list."]);
  const keyRegistry = await requireKeyRegistry(chain);
  if (choice.key !== undefined) {
    return { keyRegistry, generation: null, did: didOfSigningKey(choice.key), key: choice.key, record: await readSigningKey(chain.provider, keyRegistry, choice.key) };
  }
  if (source === undefined) throw new InvalidInputError(`key ${action} needs --key when the signer has no signing key of its own.`, ["Give the key's did:key (credreg audit issuer <address> lists every key bound)."]);
  if (choice.generation !== undefined) {
    if (source.kind === "explicit" && choice.generation !== 1) {
      throw new InvalidInputError(`CREDREG_SIGNING_KEY gives one signing key (generation 1), not generation ${choice.generation}.`, ["Unset CREDREG_SIGNING_KEY to act on the keys derived from the issuer's key, or give --key."]);
    }
    const pair = await signingKeyOf(source, choice.generation);
    const key = signingKeyIdOf(pair.publicKeyMultibase)!;
    return { keyRegistry, generation: choice.generation, did: pair.controller, key, record: await readSigningKey(chain.provider, keyRegistry, key) };
  }
  const list = await listSigningKeys(chain, issuer, source);
  const inUse = list.keys.find((entry) => entry.state === "in-use");
  if (inUse === undefined) {
    const next = list.keys.at(-1)!;
    const why = next.state === "not-bound" ? `generation ${next.generation} (${next.did}) is not bound yet (the next credreg issue binds it)` : `every key of CREDREG_SIGNING_KEY is retired or revoked`;
    throw new InvalidInputError(`No signing key is in use to ${action}: ${why}.`, ["Give --generation <n> for an older key (see credreg key list)."]);
  }
  return { keyRegistry, generation: inUse.generation, did: inUse.did, key: inUse.key, record: await readSigningKey(chain.provider, keyRegistry, inUse.key) };
}

/** A key transaction a crashed run signed, now mined: what it did, for the rerun to report. */
type Settled = { readonly hash: string; readonly key: string; readonly did: string; readonly generation: number | null; readonly blockNumber: number; readonly gasUsed: string };

/**
 * Settles the transactions of `kind` that a crashed run of `signer` signed (and may have broadcast) but never saw
 * mined: waits for those on chain or in the mempool, marks the others failed. Returns those mined, oldest first, so
 * that a rerun reports them instead of sending the same change twice.
 */
async function settlePending(chain: ChainContext, store: IssuerStore, signer: string, kind: string, confirmations: number): Promise<Settled[]> {
  const settled: Settled[] = [];
  for (const pending of store.pendingTransactions(chain.chainId.toString(), kind)) {
    const transaction = await chain.provider.getTransaction(pending.hash);
    if (transaction === null) {
      store.markTransaction(pending.hash, "failed", null);
      continue;
    }
    if (transaction.from.toLowerCase() !== signer.toLowerCase()) continue; // another account's, sharing the store
    const payload = pending.payload as { key: string; did: string; generation: number | null };
    // A reverted one is marked failed by waitRecorded, and its change is made anew below.
    const receipt = await waitRecorded(chain, store, pending.hash, confirmations, `The earlier ${kind} transaction`).catch(() => undefined);
    if (receipt !== undefined) settled.push({ hash: pending.hash, key: payload.key, did: payload.did, generation: payload.generation, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() });
  }
  return settled;
}

/** What a retirement or a revocation did. */
export type SigningKeyChange = {
  readonly keyRegistry: string;
  /** The key after the change, as the key registry records it. */
  readonly signingKey: SigningKeyEntry;
  readonly transactionHash: string;
  readonly blockNumber: number;
  readonly gasUsed: string;
  /** The transaction was sent by an earlier run that stopped before its receipt: this run waited for it. */
  readonly resumed: boolean;
};

export type KeyActionOptions = {
  readonly confirmations: number;
  /** Called between the steps, for crash-injection tests ("after-send"). */
  readonly checkpoint?: ((point: string) => void) | undefined;
};

/**
 * One key change, crash-safe: first settles what a crashed run sent (when it was this change, to the key `choice`
 * names or, naming none, to the key then in use, it is reported as done, not sent twice); else resolves the key,
 * runs `check`, and sends `data(key)` to the key registry as one transaction recorded in the store before it is
 * broadcast, waited for with the configured confirmations.
 */
async function changeKey(
  chain: ChainContext,
  signer: Signer,
  store: IssuerStore,
  source: SigningKeySource | undefined,
  choice: KeyChoice,
  change: { readonly action: string; readonly kind: string; readonly data: (key: string) => string; readonly payload: Record<string, unknown>; readonly check?: (target: Target) => void },
  options: KeyActionOptions,
): Promise<SigningKeyChange> {
  const signerAddress = await signer.getAddress();
  const settled = await settlePending(chain, store, signerAddress, change.kind, options.confirmations);
  let done: Settled | undefined;
  let target: Target;
  if (choice.key === undefined && choice.generation === undefined && settled.length > 0) {
    done = settled.at(-1)!;
    const keyRegistry = await requireKeyRegistry(chain);
    target = { keyRegistry, generation: done.generation, did: done.did, key: done.key, record: await readSigningKey(chain.provider, keyRegistry, done.key) };
  } else {
    target = await resolveTarget(chain, signerAddress, source, choice, change.action);
    done = settled.find((entry) => entry.key === target.key);
  }
  let sent: { hash: string; blockNumber: number; gasUsed: string };
  if (done !== undefined) {
    sent = done;
  } else {
    change.check?.(target);
    const broadcast = await signRecordAndBroadcast({
      chain,
      signer,
      store,
      kind: change.kind,
      batchId: null,
      to: target.keyRegistry,
      data: change.data(target.key),
      payload: { key: target.key, did: target.did, generation: target.generation, ...change.payload },
      checkpoint: options.checkpoint,
    });
    const receipt = await waitRecorded(chain, store, broadcast.hash, options.confirmations, `The ${change.kind} transaction for signing key ${target.did}`);
    sent = { hash: broadcast.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() };
  }
  const record = await readSigningKey(chain.provider, target.keyRegistry, target.key);
  return { keyRegistry: target.keyRegistry, signingKey: entryOf(target.generation, target.did, target.key, record, record.issuer), transactionHash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, resumed: done !== undefined };
}

/**
 * Retires a signing key of the signer (the key in use unless `choice` names one): it signs nothing new, what was
 * anchored before stays valid, and the next `credreg issue` binds the next generation. Refused while a format 2 batch
 * signed with it is in the store but not anchored yet (it would not verify once anchored), unless `force`.
 * Call it holding the issuer lock.
 */
export async function retireSigningKey(chain: ChainContext, signer: Signer, store: IssuerStore, source: SigningKeySource | undefined, choice: KeyChoice, options: KeyActionOptions & { readonly force: boolean }): Promise<SigningKeyChange> {
  const issuer = await signer.getAddress();
  const check = (target: Target) => {
    if (options.force) return;
    const unanchored = store
      .listBatches(chain.chainId.toString(), chain.registryAddress, issuer)
      .find((batch) => (batch.state === "prepared" || batch.state === "signed") && isTemplateV2(batch.template) && batch.template.keyDid === target.did);
    if (unanchored !== undefined) {
      throw new InvalidInputError(`Batch ${unanchored.root} was signed with ${target.did} but is not anchored yet: once the key is retired, it would not verify.`, [
        "Finish it first (run the same credreg issue again), then retire the key; or add --force to retire it anyway.",
      ]);
    }
  };
  const data = (key: string) => keyRegistryInterface.encodeFunctionData("retireSigningKey", [key]);
  return changeKey(chain, signer, store, source, choice, { action: "retire", kind: "retire-signing-key", data, payload: {}, check }, options);
}

/** `--compromised-since` as Unix seconds: an ISO 8601 date-time with its time zone (or a date, read as UTC midnight). */
export function parseCompromiseTime(text: string | undefined): number {
  const example = "e.g. --compromised-since 2026-09-01T12:00:00Z";
  if (text === undefined) throw new InvalidInputError("key revoke needs --compromised-since <date-time>: from when the key's signatures are not to be trusted.", [`Give an ISO 8601 date-time with its time zone, ${example}.`]);
  const shaped = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/i.test(text);
  const millis = Date.parse(text);
  if (!shaped || Number.isNaN(millis)) throw new InvalidInputError(`--compromised-since ${text} is not a date-time with a time zone.`, [`Give an ISO 8601 date-time with its time zone, ${example}.`]);
  const seconds = Math.floor(millis / 1000);
  if (seconds < 0 || seconds >= 2 ** 40) throw new InvalidInputError(`--compromised-since ${text} is out of range.`, ["Give a time between the key's binding and now (see credreg key list)."]);
  return seconds;
}

/**
 * Revokes a signing key as compromised since `compromisedAt` (the key in use unless `choice` names one; an
 * accreditor names another issuer's with --key): nothing anchored at or after that time that it signed is valid.
 * The key registry checks the time (between the key's binding and now), the reason code and who may revoke.
 * Call it holding the issuer lock.
 */
export async function revokeSigningKey(chain: ChainContext, signer: Signer, store: IssuerStore, source: SigningKeySource | undefined, choice: KeyChoice, compromisedAt: number, reason: number, options: KeyActionOptions): Promise<SigningKeyChange> {
  const data = (key: string) => keyRegistryInterface.encodeFunctionData("revokeSigningKey", [key, compromisedAt, reason]);
  return changeKey(chain, signer, store, source, choice, { action: "revoke", kind: "revoke-signing-key", data, payload: { compromisedAt, reason } }, options);
}
