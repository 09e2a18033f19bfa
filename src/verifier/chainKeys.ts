import type { Credential } from "../credential/credentialSchema.ts";

/** What the chain is asked about a credential: its proof (anchor, root, index, Merkle proof). */
export type AnchoredCredential = { readonly proof: Credential["proof"] };

/** The keys under which what the chain said about a credential is kept, all lower case. */
export type ChainKeys = {
  /** The registry's address. */
  readonly registry: string;
  /** `registry:issuer`. */
  readonly issuer: string;
  /** `registry:issuer:root`: the credential's batch. */
  readonly batch: string;
};

/** All three {@link ChainKeys} of a credential at once (each built on the one before). */
export function chainKeysOf(credential: AnchoredCredential): ChainKeys {
  const registry = credential.proof.anchor.registry.toLowerCase();
  const issuer = `${registry}:${credential.proof.anchor.issuer.toLowerCase()}`;
  return { registry, issuer, batch: `${issuer}:${credential.proof.merkleRoot.toLowerCase()}` };
}

/** `registry:issuer:root` of a credential's batch, lower case. */
export const batchKeyOf = (credential: AnchoredCredential) => chainKeysOf(credential).batch;

/** `registry:issuer` of a credential's issuer, lower case. */
export const issuerKeyOf = (credential: AnchoredCredential) => chainKeysOf(credential).issuer;
