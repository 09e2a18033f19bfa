import { keccak256 } from "../crypto/keccak256.ts";
import { InvalidMerkleInputError } from "../errors/merkleErrors.ts";
import { type Hex, toBytes32 } from "../merkle/hex.ts";
import { canonicalJson, type SharedCanonicalForms } from "./canonicalJson.ts";

/** The document a content hash covers: the credential without its `proof` member. */
export function withoutProof(credential: object): Record<string, unknown> {
  const { proof: _proof, ...content } = credential as Record<string, unknown>;
  return content;
}

/**
 * `contentHash = keccak256(UTF-8 of the RFC 8785 canonical form of the credential without "proof")`, as a Buffer.
 * Key order and whitespace of the source JSON do not matter; every value does. `shared` (optional) only makes it
 * faster for documents that share sub-objects; the hash is the same.
 */
export function contentHashBuffer(credential: object, shared?: SharedCanonicalForms): Buffer {
  return keccak256(Buffer.from(canonicalJson(withoutProof(credential), shared), "utf8"));
}

/** {@link contentHashBuffer} as 0x hex. */
export function contentHashOf(credential: object): Hex {
  return `0x${contentHashBuffer(credential).toString("hex")}`;
}

/** `credentialHash = keccak256(abi.encode(bytes32 salt, bytes32 contentHash))` on Buffers (the hot path). */
export function credentialHashBuffer(salt: Buffer, contentHash: Buffer): Buffer {
  if (salt.length !== 32 || contentHash.length !== 32) {
    throw new InvalidMerkleInputError("The salt and the content hash must be 32 bytes each.");
  }
  return keccak256(Buffer.concat([salt, contentHash], 64));
}

/** `credentialHash = keccak256(abi.encode(bytes32 salt, bytes32 contentHash))`. */
export function credentialHashOf(salt: string, contentHash: string): Hex {
  const saltBytes = Buffer.from(toBytes32(salt, "salt").slice(2), "hex");
  const contentBytes = Buffer.from(toBytes32(contentHash, "contentHash").slice(2), "hex");
  return `0x${credentialHashBuffer(saltBytes, contentBytes).toString("hex")}`;
}
