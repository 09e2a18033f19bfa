import type { CredentialTemplateV2 } from "../credential/v2/buildUnsignedCredentialV2.ts";

/** What the store keeps of a format v2 batch: the template, and what its signatures were made with. */
export type StoredTemplateV2 = {
  readonly formatVersion: 2;
  readonly template: CredentialTemplateV2;
  readonly signatureCreated: string;
  readonly keyGeneration: number;
  readonly keyDid: string;
};

/** Whether a stored batch's template is format v2's (a v1 template has no `formatVersion`). */
export function isTemplateV2(template: unknown): template is StoredTemplateV2 {
  return (template as { formatVersion?: unknown } | null)?.formatVersion === 2;
}
