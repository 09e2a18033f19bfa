import { PROOF_TYPE } from "../credential/constants.ts";
import type { Anchor, Credential, UnsignedCredential } from "../credential/credentialSchema.ts";
import { nowAsDateTime } from "../credential/buildUnsignedCredential.ts";
import type { CredentialBatch } from "./credentialBatch.ts";

/**
 * The credential file of credential `index`: the unsigned credential plus its `proof` (salt, leaf index, root,
 * Merkle proof, and where the root was anchored). Everything a verifier needs besides a JSON-RPC URL.
 */
export function attachProof(
  credential: UnsignedCredential,
  batch: CredentialBatch,
  index: number,
  anchor: Anchor,
  created: string = nowAsDateTime(),
): Credential {
  return {
    ...credential,
    proof: {
      type: PROOF_TYPE,
      created,
      salt: batch.salt(index),
      leafIndex: index,
      merkleRoot: batch.root,
      merkleProof: batch.proof(index),
      anchor,
    },
  };
}
