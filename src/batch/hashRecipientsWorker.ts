// Worker-thread entry of buildBatchFromRecipients: hashes one contiguous range of a batch.
import { parentPort, workerData } from "node:worker_threads";
import type { CredentialTemplate } from "../credential/buildUnsignedCredential.ts";
import { hashRecipients, RECIPIENT_RECORD } from "./hashRecipients.ts";

const { template, recipients, inputIndices, firstIndex, shared, byteOffset } = workerData as {
  template: CredentialTemplate;
  recipients: unknown[];
  inputIndices: Uint32Array;
  firstIndex: number;
  /** The batch's records, shared with the calling thread; this worker writes its range only. */
  shared: SharedArrayBuffer;
  byteOffset: number;
};
const records = Buffer.from(shared, byteOffset, recipients.length * RECIPIENT_RECORD.width);
parentPort?.postMessage(hashRecipients(template, recipients, inputIndices, firstIndex, records));
