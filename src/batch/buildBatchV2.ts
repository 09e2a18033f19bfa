import { credentialHashBuffer } from "../credential/hashCredential.ts";
import { contentHashV2Buffer } from "../credential/v2/contentHashV2.ts";
import { InvalidCredentialError, NonCanonicalJsonError, type Problem } from "../errors/credentialErrors.ts";
import { InvalidMerkleInputError } from "../errors/merkleErrors.ts";
import { randomSalts } from "./buildBatch.ts";
import { type CredentialBatch, credentialBatchFromRecords } from "./credentialBatch.ts";
import { recordStore } from "./recordStore.ts";

/**
 * Builds a batch of signed format v2 credentials in leaf order (credential `i` must carry `statusListIndex` `i` in
 * its `credentialStatus`): for each, the content hash of the signed credential, a fresh salt, the credential hash;
 * then the tree, exactly as v1 (same leaf rule, same registry). Every problem is reported at once; nothing is built
 * then. `salt` is for fixtures only.
 */
export function buildBatchV2(credentials: Iterable<Record<string, unknown>>, salt: (index: number) => Buffer = randomSalts()): CredentialBatch {
  const store = recordStore(96); // salt | contentHash | credentialHash
  const problems: Problem[] = [];
  let position = 0;
  for (const credential of credentials) {
    const index = position;
    position += 1;
    const status = credential.credentialStatus as { statusListIndex?: unknown } | undefined;
    if (status?.statusListIndex !== String(index)) {
      problems.push({ path: `$[${index}].credentialStatus.statusListIndex`, message: `must be "${index}", the credential's position in the batch` });
      continue;
    }
    let contentHash: Buffer;
    try {
      contentHash = contentHashV2Buffer(credential);
    } catch (error) {
      if (error instanceof InvalidCredentialError) problems.push(...error.problems.map((problem) => ({ ...problem, path: `$[${index}]${problem.path.slice(1)}` })));
      else if (error instanceof NonCanonicalJsonError) problems.push({ path: `$[${index}]${error.path.slice(1)}`, message: error.shortMessage });
      else throw error;
      continue;
    }
    if (problems.length > 0) continue;
    const saltBytes = salt(index);
    if (saltBytes.length !== 32) throw new InvalidMerkleInputError(`The salt of credential ${index} must be 32 bytes.`);
    store.push(Buffer.concat([saltBytes, contentHash, credentialHashBuffer(saltBytes, contentHash)], 96));
  }
  if (problems.length > 0) throw new InvalidCredentialError("The batch", problems);
  return credentialBatchFromRecords({ count: store.count, bytes: store.bytes, width: 96, salt: 0, contentHash: 32, credentialHash: 64 });
}
