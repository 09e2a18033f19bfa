import { keccak256 } from "../crypto/keccak256.ts";
import { type Hex, toBytes32 } from "./hex.ts";

/**
 * The root reached from `leaf` through `proof` with sorted-pair hashing: the off-chain twin of OpenZeppelin's
 * `MerkleProof.processProof`.
 */
export function processProof(leaf: string, proof: readonly string[]): Hex {
  let computed: Buffer = Buffer.from(toBytes32(leaf, "leaf").slice(2), "hex");
  proof.forEach((sibling, position) => {
    const other = Buffer.from(toBytes32(sibling, `proof[${position}]`).slice(2), "hex");
    computed = keccak256(
      Buffer.compare(computed, other) <= 0 ? Buffer.concat([computed, other]) : Buffer.concat([other, computed]),
    );
  });
  return `0x${computed.toString("hex")}`;
}
