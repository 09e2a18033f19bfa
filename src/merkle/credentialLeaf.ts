import { keccak256 } from "../crypto/keccak256.ts";
import { type Hex, toBytes32, toLeafIndex } from "./hex.ts";

/**
 * The Merkle leaf of credential `index` whose hash is `credentialHash`, exactly as the registry computes it:
 * `keccak256(bytes.concat(keccak256(abi.encode(uint256 index, bytes32 credentialHash))))`.
 *
 * Hashing twice (domain separation, as OpenZeppelin recommends) means a 64-byte internal node can never pass as
 * a leaf; binding the index means a credential cannot be moved to another position of its batch.
 */
export function credentialLeaf(index: number | bigint, credentialHash: string): Hex {
  const hash = Buffer.from(toBytes32(credentialHash, "credentialHash").slice(2), "hex");
  return `0x${credentialLeafBuffer(toLeafIndex(index), hash).toString("hex")}`;
}

/** {@link credentialLeaf} on already-validated input (a leaf index and a 32-byte hash), as a Buffer: the hot path. */
export function credentialLeafBuffer(index: number, credentialHash: Buffer): Buffer {
  const encoded = Buffer.alloc(64);
  encoded.writeUInt32BE(index, 28);
  credentialHash.copy(encoded, 32);
  return keccak256(keccak256(encoded));
}
