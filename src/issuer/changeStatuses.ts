import type { Signer } from "ethers";
import { findReason, reasonCodes } from "../chain/reasonCodes.ts";
import { registryInterface } from "../chain/registryContract.ts";
import { readStatusWords } from "../chain/registryReads.ts";
import { validateAnchoredCredential } from "../credential/validateAnchoredCredential.ts";
import { readStrictJsonFile } from "../fs/readStrictJsonFile.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";
import type { ChainContext } from "../chain/openChain.ts";
import { signRecordAndBroadcast, waitRecorded } from "./sendRecordedTransaction.ts";

export type StatusAction = "revoke" | "suspend" | "reinstate";

/** Credentials of one batch to act on. */
export type StatusTarget = { readonly root: string; readonly indices: readonly number[] };

/** At most this many indices per transaction (a revocation costs about 2,800 gas per credential). */
export const STATUS_CHUNK_SIZE = 500;

/** The reason code of `--reason` (a code or a name of the table), or an error listing the table. */
export function parseReason(text: string | undefined): number {
  const reason = text === undefined ? undefined : findReason(text);
  if (reason === undefined) {
    throw new InvalidInputError(text === undefined ? "--reason is required." : `--reason ${text} is not a known reason.`, [
      `Give a code or a name: ${reasonCodes.map((entry) => `${entry.code} ${entry.name}`).join(", ")}.`,
    ]);
  }
  return reason.code;
}

/** `--index 3,7,12` as numbers. */
export function parseIndices(text: string | undefined): number[] {
  if (text === undefined || text.trim() === "") throw new InvalidInputError("--index is required with --batch.", ["Give comma-separated leaf indices, e.g. --index 3,7,12."]);
  return text.split(",").map((part) => {
    const trimmed = part.trim();
    if (!/^\d+$/.test(trimmed)) throw new InvalidInputError(`--index: ${JSON.stringify(trimmed)} is not a leaf index.`, ["Give comma-separated whole numbers, e.g. --index 3,7,12."]);
    return Number(trimmed);
  });
}

/**
 * Reads credential files and groups them by batch, checking that each is a valid credential anchored on this chain's
 * registry by `issuer` (an issuer can only change its own credentials).
 */
export async function targetsFromFiles(files: readonly string[], chain: ChainContext, issuer: string, forIssuer = false): Promise<StatusTarget[]> {
  const byRoot = new Map<string, number[]>();
  for (const file of files) {
    const value = await readStrictJsonFile(file, "The credential file", "Give paths of credential files written by credreg issue.");
    const validation = validateAnchoredCredential(value);
    if (!validation.ok) {
      throw new InvalidInputError(`${file} is not a valid credential file.`, validation.problems.slice(0, 20).map((problem) => `${problem.path}: ${problem.message}`));
    }
    const { anchor, merkleRoot, leafIndex } = validation.value;
    if (anchor.chainId !== `eip155:${chain.chainId}` || anchor.registry.toLowerCase() !== chain.registryAddress.toLowerCase()) {
      throw new InvalidInputError(`${file} was anchored on ${anchor.chainId} at ${anchor.registry}, not on this registry (eip155:${chain.chainId} at ${chain.registryAddress}).`, [
        "Point CREDREG_RPC_URL / CREDREG_REGISTRY at the credential's chain and registry.",
      ]);
    }
    if (anchor.issuer.toLowerCase() !== issuer.toLowerCase()) {
      throw new InvalidInputError(
        forIssuer ? `${file} was issued by ${anchor.issuer}, not by ${issuer} (--for).` : `${file} was issued by ${anchor.issuer}, not by the signer ${issuer}.`,
        [forIssuer ? "Give the files of that issuer only." : "Only a batch's own issuer changes its credentials: use that issuer's key (or, as an accreditor after its deactivation, --for <issuer>)."],
      );
    }
    const indices = byRoot.get(merkleRoot.toLowerCase()) ?? [];
    if (!indices.includes(leafIndex)) indices.push(leafIndex);
    byRoot.set(merkleRoot.toLowerCase(), indices);
  }
  return [...byRoot].map(([root, indices]) => ({ root, indices }));
}

export type StatusChangeResult = {
  readonly action: StatusAction;
  readonly reason: number;
  readonly transactions: { root: string; indices: number[]; hash: string; blockNumber: number; gasUsed: string }[];
  /** Credentials asked for that were already in the wanted state (an earlier, interrupted run changed them): not sent again. */
  readonly alreadyDone: { root: string; indices: number[] }[];
};

/** Whether a credential with these status bits is already where `action` takes it. */
function isDone(action: StatusAction, revoked: boolean, suspended: boolean): boolean {
  if (action === "revoke") return revoked;
  if (action === "suspend") return suspended && !revoked;
  return !suspended && !revoked;
}

/** Splits `indices` (duplicates dropped) into those already in the wanted state and those still to send. */
async function splitDone(chain: ChainContext, issuer: string, root: string, action: StatusAction, indices: readonly number[]): Promise<{ done: number[]; todo: number[] }> {
  const unique = [...new Set(indices)];
  const words = [...new Set(unique.map((index) => Math.floor(index / 256)))];
  const bits = new Map<number, { revoked: bigint; suspended: bigint }>();
  for (let start = 0; start < words.length; start += 8) {
    const slice = words.slice(start, start + 8);
    const read = await Promise.all(slice.map((word) => readStatusWords(chain.provider, chain.registryAddress, issuer, root, word)));
    slice.forEach((word, position) => bits.set(word, read[position]!));
  }
  const done: number[] = [];
  const todo: number[] = [];
  for (const index of unique) {
    const word = bits.get(Math.floor(index / 256))!;
    const bit = 1n << BigInt(index % 256);
    (isDone(action, (word.revoked & bit) !== 0n, (word.suspended & bit) !== 0n) ? done : todo).push(index);
  }
  return { done, todo };
}

/**
 * Transactions of `action` on this batch that a crashed run signed (and may have broadcast) but never saw mined:
 * waits for those that are on chain or in the mempool, marks the others failed, so that the status words read next
 * are final.
 */
async function settleRecorded(chain: ChainContext, store: IssuerStore, batchId: number | null, action: StatusAction, confirmations: number): Promise<void> {
  if (batchId === null) return;
  for (const transaction of store.transactionsOf(batchId)) {
    if (transaction.kind !== action || transaction.state !== "signed") continue;
    if ((await chain.provider.getTransaction(transaction.hash)) === null) {
      store.markTransaction(transaction.hash, "failed", null);
      continue;
    }
    await waitRecorded(chain, store, transaction.hash, confirmations, `The earlier ${action} transaction`).catch(() => {});
  }
}

/**
 * Revokes, suspends or reinstates credentials: one transaction per batch, chunked by {@link STATUS_CHUNK_SIZE}
 * indices, each signed and recorded in the store before it is sent, and confirmed before the next.
 *
 * Resumable: the status words are read first and credentials already in the wanted state are skipped (reported in
 * `alreadyDone`), so a rerun after a crash or a failed chunk sends only the rest. When nothing at all is left to send,
 * the request is sent as given and the registry's refusal (e.g. "already revoked") is reported: that is a mistake,
 * not a resume.
 */
export async function changeStatuses(
  chain: ChainContext,
  signer: Signer,
  store: IssuerStore,
  action: StatusAction,
  targets: readonly StatusTarget[],
  reason: number,
  confirmations: number,
  /** As an accreditor, for this deactivated issuer (the registry's `...CredentialsOf`). */
  forIssuer?: string,
  /** Called between the steps, for crash-injection tests: "after-send" (each chunk), "between-status-chunks". */
  checkpoint?: (point: string) => void,
): Promise<StatusChangeResult> {
  const method = forIssuer === undefined ? `${action}Credentials` : `${action}CredentialsOf`;
  const issuer = forIssuer ?? (await signer.getAddress());
  const planned: { root: string; batchId: number | null; todo: number[]; done: number[] }[] = [];
  for (const target of targets) {
    const batchId = store.findBatchByRoot(chain.chainId.toString(), chain.registryAddress, issuer, target.root)?.id ?? null;
    await settleRecorded(chain, store, batchId, action, confirmations);
    planned.push({ root: target.root, batchId, ...(await splitDone(chain, issuer, target.root, action, target.indices)) });
  }
  // Nothing left: send the request as given, so that the registry says what is wrong with it.
  if (planned.every((target) => target.todo.length === 0)) for (const [position, target] of planned.entries()) Object.assign(target, { todo: [...targets[position]!.indices], done: [] });
  const chunks = planned.flatMap((target) =>
    Array.from({ length: Math.ceil(target.todo.length / STATUS_CHUNK_SIZE) }, (_, chunk) => ({ ...target, indices: target.todo.slice(chunk * STATUS_CHUNK_SIZE, (chunk + 1) * STATUS_CHUNK_SIZE) })),
  );
  const transactions: StatusChangeResult["transactions"] = [];
  for (const [position, { root, batchId, indices }] of chunks.entries()) {
    if (position > 0) checkpoint?.("between-status-chunks");
    const sent = await signRecordAndBroadcast({
      chain,
      signer,
      store,
      kind: action,
      batchId,
      data: registryInterface.encodeFunctionData(method, forIssuer === undefined ? [root, indices, reason] : [forIssuer, root, indices, reason]),
      payload: { root, indices, reason },
      checkpoint,
    });
    const receipt = await waitRecorded(chain, store, sent.hash, confirmations, `The ${action} transaction for batch ${root}`);
    transactions.push({ root, indices, hash: sent.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() });
  }
  return { action, reason, transactions, alreadyDone: planned.filter((target) => target.done.length > 0).map(({ root, done }) => ({ root, indices: done })) };
}

/** Revokes a whole batch (final); with `forIssuer`, as an accreditor for that deactivated issuer. */
export async function revokeWholeBatch(chain: ChainContext, signer: Signer, store: IssuerStore, root: string, reason: number, confirmations: number, forIssuer?: string) {
  if (!/^0x[0-9a-fA-F]{64}$/.test(root)) throw new InvalidInputError(`${root} is not a batch root.`, ["Give the 0x-prefixed 32-byte root (see credreg batches)."]);
  const issuer = forIssuer ?? (await signer.getAddress());
  const batchId = store.findBatchByRoot(chain.chainId.toString(), chain.registryAddress, issuer, root)?.id ?? null;
  const data = forIssuer === undefined ? registryInterface.encodeFunctionData("revokeBatch", [root, reason]) : registryInterface.encodeFunctionData("revokeBatchOf", [forIssuer, root, reason]);
  const sent = await signRecordAndBroadcast({ chain, signer, store, kind: "revoke-batch", batchId, data, payload: { root, reason, forIssuer: forIssuer ?? null } });
  const receipt = await waitRecorded(chain, store, sent.hash, confirmations, `The revocation of batch ${root}`);
  return { root, reason, hash: sent.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() };
}
