import { inclusionOf } from "../../batch/attachProof.ts";
import type { CredentialBatch } from "../../batch/credentialBatch.ts";
import type { Anchor } from "../credentialSchema.ts";
import { ANCHOR_PROOF_TYPE_V2 } from "./credregContextV2.ts";

/**
 * The signed credential at leaf `index` with its anchor proof appended: Merkle inclusion in `batch`, whose root was
 * anchored by `anchor`, chained (`previousProof`) to the signature it covers.
 */
export function attachAnchorProofV2(credential: Record<string, unknown>, batch: CredentialBatch, index: number, anchor: Anchor, created: string): Record<string, unknown> {
  const proofs = credential.proof as readonly { id?: string }[];
  const signature = proofs.at(-1)?.id;
  return {
    ...credential,
    proof: [
      ...proofs,
      {
        type: ANCHOR_PROOF_TYPE_V2,
        ...(signature === undefined ? {} : { previousProof: signature }),
        created,
        ...inclusionOf(batch, index, anchor),
      },
    ],
  };
}
