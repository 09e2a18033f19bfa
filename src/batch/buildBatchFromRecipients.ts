import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { buildUnsignedCredential, type CredentialTemplate } from "../credential/buildUnsignedCredential.ts";
import type { UnsignedCredential } from "../credential/credentialSchema.ts";
import { achievementInputSchema } from "../credential/issuanceInputSchema.ts";
import { validateWith } from "../credential/validateCredential.ts";
import { InvalidCredentialError, type Problem } from "../errors/credentialErrors.ts";
import { type CredentialBatch, credentialBatchFromRecords } from "./credentialBatch.ts";
import { type HashedRecipients, hashRecipients, RECIPIENT_RECORD, uuidFromRecord } from "./hashRecipients.ts";
import { shuffledIndices } from "./shuffledIndices.ts";

/** A batch built from recipients: the tree and hashes, and each credential rebuilt on demand. */
export type RecipientBatch = CredentialBatch & {
  /** The unsigned credential at leaf `index`, identical to the one that was hashed. */
  credential(index: number): UnsignedCredential;
  /** Where the recipient at leaf `index` stood in the input. */
  inputIndex(index: number): number;
  /** The random id and e-mail salt drawn for leaf `index` (with the recipient and the salt, they rebuild it). */
  randomness(index: number): { id: string; emailSalt: string };
};

export type BuildBatchFromRecipientsOptions = {
  /** Worker threads for the per-credential work (default: the machine's parallelism, at most 8; 1 = inline). */
  readonly workers?: number | undefined;
  /** Leaf order: `order[i]` is the input index of the recipient at leaf `i` (default: a cryptographic shuffle). */
  readonly order?: Uint32Array | undefined;
};

/** Below this many recipients the work stays on the calling thread (a worker costs tens of milliseconds to start). */
const PARALLEL_THRESHOLD = 4096;

const templateSchema = z.strictObject({
  issuer: z.strictObject({
    id: z.string().regex(/^(https?:\/\/\S+|did:[a-z0-9]+:\S+)$/, "must be an http(s) URL or a DID (the profile id accredited on chain)"),
    name: z.string().min(1).max(128),
  }),
  achievement: achievementInputSchema,
  registry: z.strictObject({
    chainId: z.union([z.bigint().positive(), z.number().int().positive(), z.string().regex(/^[1-9][0-9]*$/)]),
    address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte address"),
  }),
  name: z.string().min(1).max(256).optional(),
  description: z.string().min(1).max(4096).optional(),
  validFrom: z.iso.datetime({ offset: true }).optional(),
  validUntil: z.iso.datetime({ offset: true }).optional(),
});

function runWorker(
  template: CredentialTemplate,
  recipients: unknown[],
  inputIndices: Uint32Array,
  firstIndex: number,
  shared: SharedArrayBuffer,
): Promise<HashedRecipients> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./hashRecipientsWorker.ts", import.meta.url), {
      workerData: { template, recipients, inputIndices, firstIndex, shared, byteOffset: firstIndex * RECIPIENT_RECORD.width },
    });
    worker.once("message", (result: HashedRecipients) => resolve(result));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`A hashing worker stopped with exit code ${code}.`));
    });
  });
}

/**
 * Builds a batch from an issuer's recipients: validates the template and every recipient (all problems reported
 * at once, `$[inputIndex]...`), shuffles them into leaf order, builds each unsigned credential, canonicalizes and
 * hashes it with a fresh salt (spread over worker threads for large batches), then builds the tree.
 * Only 160 bytes per credential are kept; `credential(i)` rebuilds credential `i` exactly.
 */
export async function buildBatchFromRecipients(
  template: CredentialTemplate,
  recipients: readonly unknown[],
  options: BuildBatchFromRecipientsOptions = {},
): Promise<RecipientBatch> {
  const templateCheck = validateWith(templateSchema, template);
  if (!templateCheck.ok) throw new InvalidCredentialError("The credential template", templateCheck.problems);
  const count = recipients.length;
  if (count === 0) throw new InvalidCredentialError("The recipient list", [{ path: "$", message: "needs at least one recipient" }]);
  const order = options.order ?? shuffledIndices(count);
  if (order.length !== count) throw new RangeError(`order has ${order.length} entries for ${count} recipients.`);

  const workers = count < PARALLEL_THRESHOLD ? 1 : Math.max(1, Math.min(options.workers ?? availableParallelism(), 8));
  const ranges = Array.from({ length: workers }, (_, part) => [Math.floor((count * part) / workers), Math.floor((count * (part + 1)) / workers)] as const);
  // Workers write their ranges straight into one shared buffer: no copy, no concatenation.
  const shared = new SharedArrayBuffer(count * RECIPIENT_RECORD.width);
  const bytes = Buffer.from(shared);
  const results = await Promise.all(
    ranges.map(([start, end]) => {
      const inputIndices = order.slice(start, end);
      const slice = Array.from(inputIndices, (inputIndex) => recipients[inputIndex]);
      return workers === 1
        ? hashRecipients(template, slice, inputIndices, start, bytes.subarray(start * RECIPIENT_RECORD.width, end * RECIPIENT_RECORD.width))
        : runWorker(template, slice, inputIndices, start, shared);
    }),
  );

  const problemCount = results.reduce((total, result) => total + result.problemCount, 0);
  if (problemCount > 0) {
    const problems: Problem[] = results.flatMap((result) => result.problems);
    const inputIndexOf = (problem: Problem) => Number(/^\$\[(\d+)\]/.exec(problem.path)?.[1] ?? 0);
    problems.sort((a, b) => inputIndexOf(a) - inputIndexOf(b));
    throw new InvalidCredentialError("The recipient list", problems.slice(0, 100), problemCount);
  }
  const batch = credentialBatchFromRecords({
    count,
    bytes,
    width: RECIPIENT_RECORD.width,
    salt: RECIPIENT_RECORD.salt,
    contentHash: RECIPIENT_RECORD.contentHash,
    credentialHash: RECIPIENT_RECORD.credentialHash,
    leaf: RECIPIENT_RECORD.leaf,
  });
  const inputIndex = (index: number) => {
    batch.leaf(index); // range check
    return order[index]!;
  };
  const randomness = (index: number) => {
    const record = bytes.subarray(index * RECIPIENT_RECORD.width, (index + 1) * RECIPIENT_RECORD.width);
    return { id: uuidFromRecord(record), emailSalt: record.toString("hex", RECIPIENT_RECORD.emailSalt, RECIPIENT_RECORD.salt) };
  };
  return {
    ...batch,
    inputIndex,
    randomness,
    credential: (index) => buildUnsignedCredential(template, recipients[inputIndex(index)] as never, index, randomness(index)),
  };
}
