import { PROOF_TYPE } from "../credential/constants.ts";
import type { Anchor, Credential, UnsignedCredential } from "../credential/credentialSchema.ts";
import { nowAsDateTime } from "../credential/buildUnsignedCredential.ts";
import type { CredentialBatch } from "./credentialBatch.ts";

/** `proof.created` of a batch anchored in a block of time `blockTime` (unix seconds): that time, to the second. */
export function proofCreatedAt(blockTime: number): string {
  return nowAsDateTime(new Date(blockTime * 1000));
}

/**
 * The credential file of credential `index`: the unsigned credential plus its `proof` (salt, leaf index, root,
 * Merkle proof, and where the root was anchored). Everything a verifier needs besides a JSON-RPC URL. `created` is
 * the anchor block's time ({@link proofCreatedAt}): verifiers check it against the chain.
 */
export function attachProof(credential: UnsignedCredential, batch: CredentialBatch, index: number, anchor: Anchor, created: string): Credential {
  return {
    ...credential,
    proof: { type: PROOF_TYPE, created, ...inclusionOf(batch, index, anchor) },
  };
}

/** What every format's anchor proof says about credential `index`: its salt, leaf, root, Merkle proof and anchor. */
export function inclusionOf(batch: CredentialBatch, index: number, anchor: Anchor) {
  return { salt: batch.salt(index), leafIndex: index, merkleRoot: batch.root, merkleProof: batch.proof(index), anchor };
}
