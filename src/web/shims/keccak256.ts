// Browser stand-in for src/crypto/keccak256.ts (no native addon there): the same function on @noble/hashes.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { Buffer } from "buffer";

export const keccak256 = (data: Buffer): Buffer => Buffer.from(keccak_256(data));
export const keccakIsNative = false;
