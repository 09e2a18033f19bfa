// Worker-thread entry of buildBatchFromRecipients: hashes one contiguous range of a batch.
import { parentPort, workerData } from "node:worker_threads";
import type { CredentialTemplate } from "../credential/buildUnsignedCredential.ts";
import { hashRecipients } from "./hashRecipients.ts";

const { template, recipients, inputIndices, firstIndex } = workerData as {
  template: CredentialTemplate;
  recipients: unknown[];
  inputIndices: Uint32Array;
  firstIndex: number;
};
const result = hashRecipients(template, recipients, inputIndices, firstIndex);
parentPort?.postMessage(result, [result.records.buffer as ArrayBuffer]);
