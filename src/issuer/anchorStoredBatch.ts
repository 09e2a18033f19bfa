import type { Signer } from "ethers";
import { nowAsDateTime } from "../credential/buildUnsignedCredential.ts";
import { readAnchorTransaction, readBatchRecord } from "../chain/registryReads.ts";
import { registryInterface } from "../chain/registryContract.ts";
import { StoreError } from "../errors/storeErrors.ts";
import type { IssuerStore, StoredBatch } from "../store/IssuerStore.ts";
import type { ChainContext } from "../chain/openChain.ts";
import { signRecordAndBroadcast, waitRecorded } from "./sendRecordedTransaction.ts";

/**
 * Anchors a prepared batch of the store at most once: a batch already on chain (sent before a crash) is found by its
 * recorded transaction or its BatchAnchored log; a recorded, unmined transaction is waited for or re-broadcast (the
 * same bytes), or forgotten when another took its nonce; else one transaction is signed, recorded, then sent. Waits
 * for `confirmations` and records the anchor. Returns the batch as stored afterwards and the gas used (null when
 * nothing was sent by this call).
 */
export async function anchorStoredBatch(
  chain: ChainContext,
  signer: Signer,
  store: IssuerStore,
  batchId: number,
  options: { readonly confirmations: number; readonly checkpoint: (point: string) => void },
): Promise<{ batch: StoredBatch; gasUsed: string | null }> {
  const issuerAddress = await signer.getAddress();
  let current = store.getBatch(batchId);
  if (current.state === "anchored" || current.state === "written") return { batch: current, gasUsed: null };
  const onChain = await readBatchRecord(chain.provider, chain.registryAddress, issuerAddress, current.root);
  let anchorHash: string | null = null;
  if (onChain.anchoredAt !== 0) {
    // Sent before a crash and mined: find the transaction (recorded, else from the BatchAnchored log).
    anchorHash = current.txHash;
    // The registry records the anchor's block: one single-block log read, never a scan from the deployment.
    anchorHash ??= await readAnchorTransaction(chain.provider, chain.registryAddress, issuerAddress, current.root, onChain.anchoredBlock);
    if (anchorHash === null) throw new StoreError(`Batch ${current.root} is anchored on chain but its transaction cannot be found.`);
  } else if (current.state === "signed" && current.txHash !== null && current.rawTx !== null) {
    // Signed and recorded before a crash, not (yet) mined: wait for it, or send the very same bytes again.
    const pending = await chain.provider.getTransaction(current.txHash);
    if (pending === null) {
      const nonce = await chain.provider.getTransactionCount(issuerAddress, "pending");
      if (current.nonce !== null && nonce > current.nonce) {
        store.markTransaction(current.txHash, "failed", null);
        store.resetToPrepared(current.id, "the recorded transaction was replaced by another one with the same nonce");
      } else {
        await chain.provider.broadcastTransaction(current.rawTx);
        anchorHash = current.txHash;
      }
    } else {
      anchorHash = current.txHash;
    }
    current = store.getBatch(current.id);
  }
  if (anchorHash === null) {
    const sent = await signRecordAndBroadcast({
      chain,
      signer,
      store,
      kind: "anchor",
      batchId: current.id,
      data: registryInterface.encodeFunctionData("anchorBatch", [current.root, current.leafCount]),
      payload: { root: current.root, leafCount: current.leafCount },
      checkpoint: options.checkpoint,
    });
    anchorHash = sent.hash;
  }
  const receipt = await waitRecorded(chain, store, anchorHash, options.confirmations, `The anchoring transaction of batch ${current.root}`);
  const block = await chain.provider.getBlock(receipt.blockNumber);
  const anchoredAt = Number(block?.timestamp ?? 0);
  store.markAnchored(current.id, { txHash: anchorHash, blockNumber: receipt.blockNumber, anchoredAt, proofCreated: nowAsDateTime(new Date(anchoredAt * 1000)) });
  options.checkpoint("after-receipt");
  return { batch: store.getBatch(current.id), gasUsed: receipt.gasUsed.toString() };
}
