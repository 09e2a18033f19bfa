import type { Credential } from "../credential/credentialSchema.ts";

/** What the chain is asked about a credential: its proof (anchor, root, index, Merkle proof). */
export type AnchoredCredential = { readonly proof: Credential["proof"] };

/** `registry:issuer:root` of a credential's batch, lower case. */
export const batchKeyOf = (credential: AnchoredCredential) => `${credential.proof.anchor.registry}:${credential.proof.anchor.issuer}:${credential.proof.merkleRoot}`.toLowerCase();

/** `registry:issuer` of a credential's issuer, lower case. */
export const issuerKeyOf = (credential: AnchoredCredential) => `${credential.proof.anchor.registry}:${credential.proof.anchor.issuer}`.toLowerCase();
