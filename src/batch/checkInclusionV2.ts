import { contentHashV2Buffer } from "../credential/v2/contentHashV2.ts";
import { ANCHOR_PROOF_TYPE_V2 } from "../credential/v2/credregContextV2.ts";
import { InvalidCredentialError } from "../errors/credentialErrors.ts";
import { checkInclusionOf, type InclusionCheck } from "./checkInclusion.ts";

type AnchorProofV2 = { readonly type: string; readonly salt: string; readonly leafIndex: number; readonly merkleRoot: string; readonly merkleProof: readonly string[] };

/** {@link checkInclusion} for format v2: the signed credential's content hash, through its anchor proof's salt, leaf and Merkle proof. */
export function checkInclusionV2(credential: Record<string, unknown>): InclusionCheck {
  const proofs = Array.isArray(credential.proof) ? (credential.proof as AnchorProofV2[]) : [];
  const anchors = proofs.filter((proof) => proof?.type === ANCHOR_PROOF_TYPE_V2);
  if (anchors.length !== 1) throw new InvalidCredentialError("The credential", [{ path: "$.proof", message: `must hold exactly one ${ANCHOR_PROOF_TYPE_V2} (has ${anchors.length})` }]);
  return checkInclusionOf(contentHashV2Buffer(credential), anchors[0]!);
}
