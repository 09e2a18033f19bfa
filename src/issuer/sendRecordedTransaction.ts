import { keccak256, type Signer, type TransactionReceipt } from "ethers";
import { decodeRegistryError } from "../chain/decodeRegistryError.ts";
import { ChainActionError, InvalidInputError } from "../errors/issuerErrors.ts";
import type { RegistryRevertedError } from "../errors/chainErrors.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";
import { withIssuerLock } from "../store/withIssuerLock.ts";
import type { ChainContext } from "../chain/openChain.ts";

/** Registry errors caused by what the user asked (exit 1); all others are chain-side (exit 2). */
const INPUT_ERRORS = new Set([
  "CredentialRegistryIndexOutOfRange",
  "CredentialRegistryCredentialRevoked",
  "CredentialRegistryCredentialSuspended",
  "CredentialRegistryCredentialNotSuspended",
  "CredentialRegistryBatchNotFound",
  "CredentialRegistryBatchRevoked",
  "CredentialRegistryUnknownReason",
  "CredentialRegistryNoIndices",
  "CredentialRegistryInvalidBatch",
  "CredentialRegistryInvalidIssuer",
  "CredentialRegistryInvalidIssuerName",
  "CredentialRegistryInvalidProfileId",
  "CredentialRegistryIssuerAlreadyAccredited",
  "IssuerKeyRegistryInvalidKey",
  "IssuerKeyRegistryKeyAlreadyBound",
  "IssuerKeyRegistryUnknownKey",
  "IssuerKeyRegistryKeyRetired",
  "IssuerKeyRegistryKeyRevoked",
  "IssuerKeyRegistryInvalidCompromiseTime",
  "IssuerKeyRegistryUnknownReason",
]);

/**
 * The part of a failure that is safe to quote: ethers' short message or the error's code, never the full message (it
 * carries the RPC URL, the request and the upstream body).
 */
function shortReason(error: unknown): string {
  const { shortMessage, code } = (error ?? {}) as { shortMessage?: unknown; code?: unknown };
  if (typeof shortMessage === "string") return shortMessage;
  return typeof code === "string" || typeof code === "number" ? `error ${code}` : "unknown error";
}

/** Turns a failed call into the error the CLI reports: a decoded registry error, or a chain failure. */
export function explainFailure(error: unknown, action: string): Error {
  const decoded: RegistryRevertedError | undefined = decodeRegistryError(error);
  if (decoded) {
    return INPUT_ERRORS.has(decoded.errorName)
      ? new InvalidInputError(decoded.shortMessage, [], decoded.details)
      : new ChainActionError(decoded.shortMessage, [], error, decoded.details);
  }
  const code = (error as { code?: string }).code;
  const message = shortReason(error);
  if (code === "INSUFFICIENT_FUNDS") {
    return new ChainActionError(`The signer cannot pay for ${action}: insufficient funds.`, ["Fund the issuer account with the chain's native token, then run the command again."], error);
  }
  if (code === "NONCE_EXPIRED" || code === "REPLACEMENT_UNDERPRICED" || /nonce/i.test(message)) {
    return new ChainActionError(`Nonce conflict while sending ${action}: another transaction from this account took its place.`, [
      "Let the other transaction settle (or stop the other process using this key), then run the command again: it resumes where it stopped.",
    ], error);
  }
  if (code === "CALL_EXCEPTION") return new ChainActionError(`The registry rejected ${action} (${message}).`, ["Check the batch, indices and reason."], error);
  return new ChainActionError(`Sending ${action} failed: ${message}.`, ["Check the RPC endpoint and the account, then run the command again: it resumes where it stopped."], error);
}

export type RecordedSend = {
  readonly chain: ChainContext;
  readonly signer: Signer;
  readonly store: IssuerStore;
  /** What the transaction does, for the store and messages ("anchor", "revoke", ...). */
  readonly kind: string;
  readonly batchId: number | null;
  /** The contract called (default: the registry; the key registry for signing keys). */
  readonly to?: string | undefined;
  readonly data: string;
  readonly payload: unknown;
  /** Called between the steps, for crash-injection tests: "after-send". */
  readonly checkpoint?: ((point: string) => void) | undefined;
};

/**
 * Estimates, checks funds, signs, records the signed transaction (hash and raw bytes) in the store, and only then
 * broadcasts it: a crash at any point leaves the store knowing every transaction that may be on chain.
 */
export async function signRecordAndBroadcast(send: RecordedSend): Promise<{ hash: string; nonce: number }> {
  const { chain, signer, store } = send;
  store.useChain(chain.chainId.toString(), chain.genesisHash);
  const from = await signer.getAddress();
  // The pending nonce is read, used and broadcast under the account's lock: two processes never sign the same nonce.
  return withIssuerLock({ storeFile: store.file, chainId: chain.chainId.toString(), genesisHash: chain.genesisHash, issuer: from }, () => signRecordAndBroadcastLocked(send, from));
}

async function signRecordAndBroadcastLocked(send: RecordedSend, from: string): Promise<{ hash: string; nonce: number }> {
  const { chain, signer, store } = send;
  const to = send.to ?? chain.registryAddress;
  const request = { from, to, data: send.data };
  let gas: bigint;
  try {
    gas = await chain.provider.estimateGas(request);
  } catch (error) {
    throw explainFailure(error, `the ${send.kind} transaction`);
  }
  const [fees, balance, nonce] = await Promise.all([
    chain.provider.getFeeData(),
    chain.provider.getBalance(from),
    chain.provider.getTransactionCount(from, "pending"),
  ]);
  const gasLimit = (gas * 12n) / 10n;
  const maxFee = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
  if (balance < gasLimit * maxFee) {
    throw new ChainActionError(`The signer ${from} cannot pay for the ${send.kind} transaction: it holds ${balance} wei, up to ${gasLimit * maxFee} may be needed.`, [
      "Fund the issuer account, then run the command again.",
    ]);
  }
  const transaction = {
    to,
    data: send.data,
    gasLimit,
    nonce,
    chainId: chain.chainId,
    ...(fees.maxFeePerGas === null
      ? { gasPrice: fees.gasPrice ?? 0n, type: 0 }
      : { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n, type: 2 }),
  };
  const rawTx = await signer.signTransaction(transaction);
  const hash = keccak256(rawTx);
  store.recordSignedTransaction({ hash, kind: send.kind, batchId: send.batchId, nonce, payload: send.payload, rawTx, chainId: chain.chainId.toString() });
  try {
    await chain.provider.broadcastTransaction(rawTx);
  } catch (error) {
    store.markTransaction(hash, "failed", null);
    throw explainFailure(error, `the ${send.kind} transaction`);
  }
  send.checkpoint?.("after-send");
  return { hash, nonce };
}

/** Waits for `hash` to be mined with `confirmations`, records the outcome, and throws on a revert. */
export async function waitRecorded(chain: ChainContext, store: IssuerStore, hash: string, confirmations: number, what: string): Promise<TransactionReceipt> {
  let receipt: TransactionReceipt | null;
  try {
    receipt = await chain.provider.waitForTransaction(hash, confirmations, 10 * 60_000);
  } catch (error) {
    throw new ChainActionError(`Waiting for ${what} (${hash}) failed: ${shortReason(error)}.`, ["Run the command again: it resumes with the recorded transaction."], error);
  }
  if (receipt === null) throw new ChainActionError(`${what} (${hash}) was not mined within 10 minutes.`, ["Run the command again later: it resumes with the recorded transaction."]);
  if (receipt.status !== 1) {
    store.markTransaction(hash, "failed", receipt.blockNumber);
    throw new ChainActionError(`${what} (${hash}) reverted in block ${receipt.blockNumber}.`, ["Check the registry state (credreg batch <root>) and run the command again."]);
  }
  store.markTransaction(hash, "mined", receipt.blockNumber);
  return receipt;
}
