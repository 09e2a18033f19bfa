import { buildBatch } from "../batch/buildBatch.ts";
import { buildSignedBatchV2 } from "../batch/buildSignedBatchV2.ts";
import type { CredentialBatch } from "../batch/credentialBatch.ts";
import { type SigningKeySource, signingKeyOf } from "../config/loadSigningKey.ts";
import { buildUnsignedCredential, type CredentialTemplate } from "../credential/buildUnsignedCredential.ts";
import type { UnsignedCredential } from "../credential/credentialSchema.ts";
import type { RecipientInput } from "../credential/issuanceInputSchema.ts";
import { createFastSignerV2 } from "../credential/v2/createFastSignerV2.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { StoreError } from "../errors/storeErrors.ts";
import type { IssuerStore, StoredBatch } from "../store/IssuerStore.ts";
import { isTemplateV2, type StoredTemplateV2 } from "./storedTemplateV2.ts";

/** A batch ready to anchor and write: its stored record, its tree, and its credentials rebuilt on demand. */
export type Prepared = {
  readonly stored: StoredBatch;
  readonly batch: CredentialBatch;
  /** v1: the unsigned credential; v2: the signed credential (what the leaf covers). */
  credential(index: number): UnsignedCredential | Record<string, unknown>;
  /** The row position (CSV line, JSON index) of leaf `index`. */
  rowOf(index: number): number;
  readonly version: 1 | 2;
  readonly signingKey?: { readonly did: string; readonly boundBy: string | null } | undefined;
};


/** Signs with `key` at `created` (the batch's fixed signature time: the same signatures on every rebuild). */
export function signerOf(key: Awaited<ReturnType<typeof signingKeyOf>>, created: string) {
  const signer = createFastSignerV2(key);
  return (credential: Record<string, unknown>, proofId: string) => signer.sign(credential, proofId, new Date(created));
}

/** Rebuilds a stored v2 batch exactly (same credentials, signatures, salts, root) from the store and the signing key. */
async function rebuildV2FromStore(store: IssuerStore, stored: StoredBatch, source: SigningKeySource): Promise<Prepared> {
  const saved = stored.template as StoredTemplateV2;
  const key = await signingKeyOf(source, saved.keyGeneration);
  if (key.controller !== saved.keyDid) {
    throw new InvalidInputError(`Batch ${stored.root} was signed with ${saved.keyDid}, not with the configured signing key ${key.controller}.`, [
      "Set CREDREG_SIGNING_KEY (or the issuer key it is derived from) to the key the batch was begun with, then run the command again.",
    ]);
  }
  const rows = store.credentials(stored.id);
  const batch = await buildSignedBatchV2(saved.template, rows.map((row) => row.recipient as RecipientInput), signerOf(key, saved.signatureCreated), {
    order: Uint32Array.from(rows, (_, index) => index),
    randomness: (index) => ({ id: rows[index]!.credentialId, emailSalt: rows[index]!.emailSalt }),
    salt: (index) => Buffer.from(rows[index]!.salt.slice(2), "hex"),
  });
  if (batch.root !== stored.root) {
    throw new StoreError(`The store's batch ${stored.root} does not rebuild to its root (got ${batch.root}).`, { metaMessages: ["The store was altered; restore it from a backup."] });
  }
  return { stored, batch, credential: (index) => batch.credential(index), rowOf: (index) => rows[index]!.inputIndex, version: 2, signingKey: { did: key.controller, boundBy: null } };
}

/** Rebuilds a stored v1 batch exactly (same credentials, same salts, same root) from the store alone. */
function rebuildV1FromStore(store: IssuerStore, stored: StoredBatch): Prepared {
  const template = stored.template as CredentialTemplate;
  const rows = store.credentials(stored.id);
  const credentials = rows.map((row) => buildUnsignedCredential(template, row.recipient as RecipientInput, row.leafIndex, { id: row.credentialId, emailSalt: row.emailSalt }));
  const batch = buildBatch(credentials, { validate: false, salt: (index) => Buffer.from(rows[index]!.salt.slice(2), "hex") });
  if (batch.root !== stored.root) {
    throw new StoreError(`The store's batch ${stored.root} does not rebuild to its root (got ${batch.root}).`, { metaMessages: ["The store was altered; restore it from a backup."] });
  }
  return { stored, batch, credential: (index) => credentials[index]!, rowOf: (index) => rows[index]!.inputIndex, version: 1 };
}

/** Rebuilds a stored batch of either format exactly, as it was first built (a crashed run resumed, or a rerun). */
export function rebuildFromStore(store: IssuerStore, stored: StoredBatch, signingKey: () => SigningKeySource): Promise<Prepared> | Prepared {
  return isTemplateV2(stored.template) ? rebuildV2FromStore(store, stored, signingKey()) : rebuildV1FromStore(store, stored);
}
