import { checkBatchSize, type CredentialTree, treeFromLeaves } from "../merkle/buildCredentialTree.ts";
import { credentialLeafBuffer } from "../merkle/credentialLeaf.ts";
import type { Hex } from "../merkle/hex.ts";

/** A built batch: its tree, and each credential's salt and hashes. */
export type CredentialBatch = CredentialTree & {
  salt(index: number): Hex;
  contentHash(index: number): Hex;
  credentialHash(index: number): Hex;
};

/** Where a batch's per-credential 32-byte values live: fixed-width records in one Buffer. */
export type HashRecords = {
  readonly count: number;
  readonly bytes: Buffer;
  readonly width: number;
  /** Byte offsets of the salt, the content hash and the credential hash inside a record. */
  readonly salt: number;
  readonly contentHash: number;
  readonly credentialHash: number;
  /** Byte offset of the precomputed leaf, if the records carry it (else leaves are computed here). */
  readonly leaf?: number | undefined;
};

/** Builds the tree over the records' credential hashes (leaf `i` from record `i`) and exposes the batch. */
export function credentialBatchFromRecords(records: HashRecords): CredentialBatch {
  checkBatchSize(records.count);
  const field = (index: number, offset: number) => records.bytes.subarray(index * records.width + offset, index * records.width + offset + 32);
  const leaves = new Array<Buffer>(records.count);
  const leafOffset = records.leaf;
  for (let index = 0; index < records.count; index += 1) {
    leaves[index] = leafOffset === undefined ? credentialLeafBuffer(index, field(index, records.credentialHash)) : field(index, leafOffset);
  }
  const tree = treeFromLeaves(leaves);
  const hex = (index: number, offset: number): Hex => {
    tree.leaf(index); // range check, with the tree's error
    return `0x${field(index, offset).toString("hex")}`;
  };
  return {
    ...tree,
    salt: (index) => hex(index, records.salt),
    contentHash: (index) => hex(index, records.contentHash),
    credentialHash: (index) => hex(index, records.credentialHash),
  };
}
