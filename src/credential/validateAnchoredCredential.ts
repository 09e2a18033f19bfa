import type { Anchor } from "./credentialSchema.ts";
import { validateCredential, validateWith, type Validation } from "./validateCredential.ts";
import { type CredentialV2, credentialSchemaV2 } from "./v2/credentialSchemaV2.ts";

/** Where a credential of either format is anchored: its batch, its leaf, and the anchoring issuer and registry. */
export type AnchoredPlace = { readonly formatVersion: 1 | 2; readonly anchor: Anchor; readonly merkleRoot: string; readonly leafIndex: number };

/**
 * Validates a credential file of either format (v2: its proofs are an array) and says where it is anchored: what
 * `revoke`, `suspend`, `reinstate` and `audit credential` need of a file.
 */
export function validateAnchoredCredential(value: unknown): Validation<AnchoredPlace> {
  if (Array.isArray((value as { proof?: unknown } | null)?.proof)) {
    const validation = validateWith<CredentialV2>(credentialSchemaV2, value);
    if (!validation.ok) return validation;
    const { anchor, merkleRoot, leafIndex } = validation.value.proof[1];
    return { ok: true, value: { formatVersion: 2, anchor, merkleRoot, leafIndex } };
  }
  const validation = validateCredential(value);
  if (!validation.ok) return validation;
  const { anchor, merkleRoot, leafIndex } = validation.value.proof;
  return { ok: true, value: { formatVersion: 1, anchor, merkleRoot, leafIndex } };
}
