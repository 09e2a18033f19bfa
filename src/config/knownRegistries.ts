/** A public deployment of the CredentialRegistry that verifiers may trust without configuring it. */
export type KnownRegistry = {
  /** `eip155:<chain id>`. */
  readonly chainId: string;
  /** The registry's address (EIP-55). */
  readonly address: string;
  /** Who operates it, shown as the trust's source. */
  readonly name: string;
};

/**
 * The registries shipped with credreg as trusted by default (each on its own chain only). Empty until a
 * production deployment exists: adding one is a reviewed change to this file, never something a credential or
 * its folder can do. docs/verifier.md says how entries are added.
 */
export const KNOWN_REGISTRIES: readonly KnownRegistry[] = [];
