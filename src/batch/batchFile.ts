import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { anchorSchema, type Anchor, type UnsignedCredential } from "../credential/credentialSchema.ts";
import { nowAsDateTime } from "../credential/buildUnsignedCredential.ts";
import { InvalidBatchFileError, InvalidCredentialError } from "../errors/credentialErrors.ts";
import { writeLinesAtomically } from "../fs/writeAtomically.ts";
import { buildBatch } from "./buildBatch.ts";
import { buildBatchV2 } from "./buildBatchV2.ts";
import type { CredentialBatch } from "./credentialBatch.ts";

/** The batch file formats: v1 holds unsigned credentials (format v1), v2 signed ones (format v2, without the anchor proof). */
export type BatchFileFormat = "credreg-batch-v1" | "credreg-batch-v2";

/** Line 1 of a batch file. */
export type BatchFileHeader = {
  readonly format: BatchFileFormat;
  readonly root: string;
  readonly leafCount: number;
  readonly createdAt: string;
  /** Where the root was anchored, once it is. */
  readonly anchor: Anchor | null;
};

/** Lines 2 .. leafCount + 1: one per credential, in index order. */
export type BatchFileEntry = {
  readonly index: number;
  readonly salt: string;
  readonly credentialHash: string;
  /** v1: the unsigned credential; v2: the signed credential (what its leaf covers). */
  readonly credential: UnsignedCredential | Record<string, unknown>;
};

/**
 * Writes a batch file (JSON Lines, `credreg-batch-v1`): a header line (root, count, anchor), then one line per
 * credential with its index, salt, hash and unsigned credential, so that every proof can be regenerated and every
 * credential file re-emitted. Written to a temporary file and renamed: a crash never leaves half a batch file.
 */
export async function writeBatchFile(
  file: string,
  batch: CredentialBatch,
  credentials: Iterable<UnsignedCredential | Record<string, unknown>>,
  options: { anchor?: Anchor | null | undefined; createdAt?: string | undefined; format?: BatchFileFormat | undefined } = {},
): Promise<void> {
  const header: BatchFileHeader = {
    format: options.format ?? "credreg-batch-v1",
    root: batch.root,
    leafCount: batch.leafCount,
    createdAt: options.createdAt ?? nowAsDateTime(),
    anchor: options.anchor ?? null,
  };
  await writeLinesAtomically(
    file,
    (function* () {
      yield JSON.stringify(header);
      let index = 0;
      for (const credential of credentials) {
        if (index >= batch.leafCount) throw new RangeError(`More credentials than the batch's ${batch.leafCount}.`);
        const entry: BatchFileEntry = { index, salt: batch.salt(index), credentialHash: batch.credentialHash(index), credential };
        yield JSON.stringify(entry);
        index += 1;
      }
      if (index !== batch.leafCount) throw new RangeError(`Got ${index} credentials for a batch of ${batch.leafCount}.`);
    })(),
  );
}

/** A batch file read back and re-checked. */
export type LoadedBatch = {
  readonly header: BatchFileHeader;
  readonly batch: CredentialBatch;
  readonly credentials: readonly (UnsignedCredential | Record<string, unknown>)[];
};

function parseLine(file: string, line: number, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidBatchFileError(file, line, "the line is not a JSON object");
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * Reads a batch file and re-checks everything: the format, each line's index, every credential against the format,
 * each credentialHash recomputed from the credential and its salt, the count, and the root rebuilt from all leaves.
 */
export async function readBatchFile(file: string): Promise<LoadedBatch> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY });
  let header: BatchFileHeader | undefined;
  const credentials: Record<string, unknown>[] = [];
  const salts: Buffer[] = [];
  const hashes: string[] = [];
  let lineNumber = 0;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      if (text.trim() === "") continue;
      const record = parseLine(file, lineNumber, text);
      if (header === undefined) {
        if (record.format !== "credreg-batch-v1" && record.format !== "credreg-batch-v2") {
          throw new InvalidBatchFileError(file, lineNumber, `format is ${JSON.stringify(record.format)}, expected "credreg-batch-v1" or "credreg-batch-v2"`);
        }
        if (typeof record.root !== "string" || !BYTES32.test(record.root)) throw new InvalidBatchFileError(file, lineNumber, "root is not a 32-byte hex string");
        if (!Number.isSafeInteger(record.leafCount) || (record.leafCount as number) < 1) {
          throw new InvalidBatchFileError(file, lineNumber, "leafCount is not a positive whole number");
        }
        if (record.anchor !== null && !anchorSchema.safeParse(record.anchor).success) {
          throw new InvalidBatchFileError(file, lineNumber, "anchor is neither null nor a valid anchor");
        }
        header = record as unknown as BatchFileHeader;
        continue;
      }
      const expectedIndex = credentials.length;
      if (record.index !== expectedIndex) throw new InvalidBatchFileError(file, lineNumber, `index is ${JSON.stringify(record.index)}, expected ${expectedIndex}`);
      if (typeof record.salt !== "string" || !BYTES32.test(record.salt)) throw new InvalidBatchFileError(file, lineNumber, "salt is not a 32-byte hex string");
      if (typeof record.credentialHash !== "string" || !BYTES32.test(record.credentialHash)) {
        throw new InvalidBatchFileError(file, lineNumber, "credentialHash is not a 32-byte hex string");
      }
      salts.push(Buffer.from(record.salt.slice(2), "hex"));
      hashes.push(record.credentialHash.toLowerCase());
      if (record.credential === null || typeof record.credential !== "object" || Array.isArray(record.credential)) {
        throw new InvalidBatchFileError(file, lineNumber, "credential is not a JSON object");
      }
      credentials.push(record.credential as Record<string, unknown>);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InvalidBatchFileError(file, undefined, "the file does not exist");
    throw error;
  }
  if (header === undefined) throw new InvalidBatchFileError(file, undefined, "the file is empty");
  if (credentials.length !== header.leafCount) {
    throw new InvalidBatchFileError(file, undefined, `it holds ${credentials.length} credentials, its header says ${header.leafCount}`);
  }

  let batch: CredentialBatch;
  try {
    batch = header.format === "credreg-batch-v2" ? buildBatchV2(credentials, (index) => salts[index]!) : buildBatch(credentials, { salt: (index) => salts[index]! });
  } catch (error) {
    if (error instanceof InvalidCredentialError) {
      const first = error.problems[0];
      const line = first ? Number(/^\$\[(\d+)\]/.exec(first.path)?.[1] ?? Number.NaN) + 2 : undefined;
      throw new InvalidBatchFileError(file, Number.isNaN(line) ? undefined : line, `a credential is not valid (${first?.path}: ${first?.message})`);
    }
    throw error;
  }
  for (let index = 0; index < hashes.length; index += 1) {
    if (batch.credentialHash(index) !== hashes[index]) {
      throw new InvalidBatchFileError(file, index + 2, "the credentialHash does not match the credential and its salt");
    }
  }
  if (batch.root !== header.root.toLowerCase()) {
    throw new InvalidBatchFileError(file, 1, `the credentials rebuild root ${batch.root}, not the recorded ${header.root}`);
  }
  return { header, batch, credentials };
}
