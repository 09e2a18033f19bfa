import { randomUUID } from "node:crypto";
import { buildUnsignedCredential, type CredentialTemplate } from "../credential/buildUnsignedCredential.ts";
import { SharedCanonicalForms } from "../credential/canonicalJson.ts";
import { contentHashBuffer, credentialHashBuffer } from "../credential/hashCredential.ts";
import { credentialLeafBuffer } from "../merkle/credentialLeaf.ts";
import { recipientInputSchema } from "../credential/issuanceInputSchema.ts";
import { validateWith } from "../credential/validateCredential.ts";
import type { Problem } from "../errors/credentialErrors.ts";
import { randomSalts } from "./buildBatch.ts";

/**
 * One record per credential, 160 bytes: the random parts that make it reproducible (its UUID and the salt of its
 * hashed e-mail), then its salt, content hash, credential hash and Merkle leaf.
 */
export const RECIPIENT_RECORD = { width: 160, uuid: 0, emailSalt: 16, salt: 32, contentHash: 64, credentialHash: 96, leaf: 128 } as const;

export type HashedRecipients = {
  /** Problems of invalid recipients, paths `$[inputIndex]...`. No record is meaningful when there are any. */
  readonly problems: Problem[];
  readonly problemCount: number;
};

/**
 * Validates the recipients placed at leaves `firstIndex ..`, builds each one's unsigned credential, canonicalizes
 * and hashes it, and draws its salt: the per-credential work of a batch, pure and self-contained so that it can run
 * in a worker thread. `inputIndices[k]` is the recipient's position in the issuer's input (for error paths).
 * Writes `recipients.length` records of {@link RECIPIENT_RECORD} layout into `records` (which may be a view of
 * memory shared with the calling thread).
 */
export function hashRecipients(
  template: CredentialTemplate,
  recipients: readonly unknown[],
  inputIndices: ArrayLike<number>,
  firstIndex: number,
  records: Buffer,
  maxProblems = 100,
): HashedRecipients {
  if (records.length !== recipients.length * RECIPIENT_RECORD.width) throw new RangeError("records has the wrong size for the recipients.");
  const problems: Problem[] = [];
  let problemCount = 0;
  const nextSalt = randomSalts();
  const shared = new SharedCanonicalForms();
  for (let k = 0; k < recipients.length; k += 1) {
    const validation = validateWith(recipientInputSchema, recipients[k]);
    if (!validation.ok) {
      for (const problem of validation.problems) {
        problemCount += 1;
        if (problems.length < maxProblems) problems.push({ path: `$[${inputIndices[k]}]${problem.path.slice(1)}`, message: problem.message });
      }
      continue;
    }
    if (problemCount > 0) continue;
    const offset = k * RECIPIENT_RECORD.width;
    const uuid = randomUUID();
    records.write(uuid.replaceAll("-", ""), offset + RECIPIENT_RECORD.uuid, "hex");
    const emailSalt = records.subarray(offset + RECIPIENT_RECORD.emailSalt, offset + RECIPIENT_RECORD.salt);
    nextSalt().copy(emailSalt, 0, 0, 16);
    const credential = buildUnsignedCredential(template, recipients[k] as never, firstIndex + k, {
      id: `urn:uuid:${uuid}`,
      emailSalt: emailSalt.toString("hex"),
    });
    // Every credential of the template references the same issuer and achievement: canonicalize those once.
    shared.share(credential.issuer);
    shared.share(credential.credentialSubject.achievement);
    const contentHash = contentHashBuffer(credential, shared);
    const salt = nextSalt();
    const credentialHash = credentialHashBuffer(salt, contentHash);
    salt.copy(records, offset + RECIPIENT_RECORD.salt);
    contentHash.copy(records, offset + RECIPIENT_RECORD.contentHash);
    credentialHash.copy(records, offset + RECIPIENT_RECORD.credentialHash);
    credentialLeafBuffer(firstIndex + k, credentialHash).copy(records, offset + RECIPIENT_RECORD.leaf);
  }
  return { problems, problemCount };
}

/** The `urn:uuid:` id stored in a record. */
export function uuidFromRecord(record: Buffer): string {
  const hex = record.toString("hex", RECIPIENT_RECORD.uuid, RECIPIENT_RECORD.uuid + 16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
