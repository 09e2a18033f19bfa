import { decodeBase58, toBeHex } from "ethers";

const ED25519_MULTIBASE = /^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/;

/**
 * The key as the IssuerKeyRegistry names it (`bytes32`, the raw Ed25519 public key), from its multibase form
 * (`z6Mk…`), a `did:key:z6Mk…` or a verification method `did:key:z6Mk…#z6Mk…`; `undefined` for anything else.
 */
export function signingKeyIdOf(key: string): string | undefined {
  const multibase = key.startsWith("did:key:") ? key.slice("did:key:".length).split("#")[0]! : key;
  if (!ED25519_MULTIBASE.test(multibase)) return undefined;
  // base58btc of the multicodec header 0xed 0x01 followed by the 32-byte key.
  const bytes = toBeHex(decodeBase58(multibase.slice(1)), 34);
  if (!bytes.startsWith("0xed01")) return undefined;
  return `0x${bytes.slice(6)}`;
}
