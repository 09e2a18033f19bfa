import keccak256 from "keccak256";
import { type Hex, toBytes32, toLeafIndex } from "./hex.ts";

/**
 * The Merkle leaf of credential `index` whose hash is `credentialHash`, exactly as the registry computes it:
 * `keccak256(bytes.concat(keccak256(abi.encode(uint256 index, bytes32 credentialHash))))`.
 *
 * Hashing twice (domain separation, as OpenZeppelin recommends) means a 64-byte internal node can never pass as
 * a leaf; binding the index means a credential cannot be moved to another position of its batch.
 */
export function credentialLeaf(index: number | bigint, credentialHash: string): Hex {
  return `0x${credentialLeafBuffer(toLeafIndex(index), toBytes32(credentialHash, "credentialHash")).toString("hex")}`;
}

/** {@link credentialLeaf} on already-validated input, as a Buffer (the tree builder's hot path). */
export function credentialLeafBuffer(index: number, credentialHash: Hex): Buffer {
  const encoded = Buffer.alloc(64);
  encoded.writeUInt32BE(index, 28);
  encoded.write(credentialHash.slice(2), 32, "hex");
  return keccak256(keccak256(encoded));
}
