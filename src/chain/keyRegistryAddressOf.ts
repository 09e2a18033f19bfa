import { getCreateAddress } from "ethers";

/**
 * The address of the IssuerKeyRegistry a CredentialRegistry created in its constructor
 * (its first contract creation, nonce 1): derived from the trusted registry's address alone, never read from a
 * credential or a file. A registry deployed before key registries existed has no code there.
 */
export function keyRegistryAddressOf(registry: string): string {
  return getCreateAddress({ from: registry, nonce: 1 });
}
