import { keccak256 } from "./keccak256.ts";

/** Addresses already checksummed (a bulk verification meets the same registry and issuers again and again). */
const recent = new Map<string, string>();
const MAX_RECENT = 4096;

/**
 * The EIP-55 mixed-case form of a 0x-prefixed 20-byte hex address (any case in): the same as ethers' `getAddress`,
 * on the native keccak (a verifier checks two addresses per credential; ethers' pure-JS keccak made that costly).
 */
export function checksumAddress(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new TypeError(`not a 0x-prefixed 20-byte address: ${address}`);
  const lower = address.slice(2).toLowerCase();
  let checksummed = recent.get(lower);
  if (checksummed === undefined) {
    checksummed = computeChecksum(lower);
    if (recent.size >= MAX_RECENT) recent.clear();
    recent.set(lower, checksummed);
  }
  return checksummed;
}

function computeChecksum(lower: string): string {
  const hash = keccak256(Buffer.from(lower, "ascii"));
  let out = "0x";
  for (let index = 0; index < 40; index += 1) {
    const nibble = (hash[index >> 1]! >> (index % 2 === 0 ? 4 : 0)) & 0x0f;
    out += nibble >= 8 ? lower[index]!.toUpperCase() : lower[index]!;
  }
  return out;
}
