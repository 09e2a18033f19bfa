import { randomFillSync } from "node:crypto";
import { contentHashBuffer, credentialHashBuffer } from "../credential/hashCredential.ts";
import { validateUnsignedCredential } from "../credential/validateCredential.ts";
import { InvalidCredentialError, NonCanonicalJsonError, type Problem } from "../errors/credentialErrors.ts";
import { InvalidMerkleInputError } from "../errors/merkleErrors.ts";
import { type CredentialBatch, credentialBatchFromRecords } from "./credentialBatch.ts";
import { recordStore } from "./recordStore.ts";

export type BuildBatchOptions = {
  /** Check every credential against the format first (default true). */
  readonly validate?: boolean | undefined;
  /** The 32-byte salt of credential `index` (default: fresh cryptographic randomness). For fixtures only. */
  readonly salt?: ((index: number) => Buffer) | undefined;
  /** Stop collecting problems after this many (default 100); the error says how many were found. */
  readonly maxProblems?: number | undefined;
};

/** Cryptographic 32-byte salts, drawn 64 KiB at a time. */
export function randomSalts(): () => Buffer {
  const pool = Buffer.alloc(65_536);
  let offset = pool.length;
  return () => {
    if (offset === pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const salt = Buffer.from(pool.subarray(offset, offset + 32));
    offset += 32;
    return salt;
  };
}

const prefixPath = (index: number, path: string) => `$[${index}]${path.slice(1)}`;

/**
 * Builds a batch from unsigned credentials in leaf order: credential `i` must carry `statusListIndex` `i` (assign
 * indices, shuffled, before building the credentials; see shuffledIndices). For each credential: validate,
 * canonicalize (RFC 8785), `contentHash`, a fresh salt, `credentialHash`, leaf; then the tree.
 *
 * Accepts any iterable, so a large batch can be generated lazily: only 96 bytes per credential are kept.
 * Every invalid credential is reported (JSON paths prefixed with its position, `$[i]...`) in one
 * {@link InvalidCredentialError}; nothing is built then.
 */
export function buildBatch(credentials: Iterable<unknown>, options: BuildBatchOptions = {}): CredentialBatch {
  const validate = options.validate ?? true;
  const maxProblems = options.maxProblems ?? 100;
  const nextSalt = options.salt ?? randomSalts();
  const store = recordStore(96); // salt | contentHash | credentialHash
  const problems: Problem[] = [];
  let problemCount = 0;
  const report = (problem: Problem) => {
    problemCount += 1;
    if (problems.length < maxProblems) problems.push(problem);
  };

  let index = 0;
  for (const credential of credentials) {
    const position = index;
    index += 1;
    if (validate) {
      const validation = validateUnsignedCredential(credential);
      if (!validation.ok) {
        for (const problem of validation.problems) report({ path: prefixPath(position, problem.path), message: problem.message });
        continue;
      }
    }
    const status = (credential as { credentialStatus?: { statusListIndex?: unknown }[] }).credentialStatus;
    if (status?.[0]?.statusListIndex !== String(position)) {
      report({ path: `$[${position}].credentialStatus[0].statusListIndex`, message: `must be "${position}", the credential's position in the batch` });
      continue;
    }
    let contentHash: Buffer;
    try {
      contentHash = contentHashBuffer(credential as object);
    } catch (error) {
      if (!(error instanceof NonCanonicalJsonError)) throw error;
      report({ path: prefixPath(position, error.path), message: error.shortMessage });
      continue;
    }
    if (problemCount > 0) continue; // the batch will not be built: stop hashing, keep validating
    const salt = nextSalt(position);
    if (salt.length !== 32) throw new InvalidMerkleInputError(`The salt of credential ${position} must be 32 bytes.`);
    store.push(Buffer.concat([salt, contentHash, credentialHashBuffer(salt, contentHash)], 96));
  }
  if (problemCount > 0) throw new InvalidCredentialError("The batch", problems, problemCount);
  return credentialBatchFromRecords({ count: store.count, bytes: store.bytes, width: 96, salt: 0, contentHash: 32, credentialHash: 64 });
}
