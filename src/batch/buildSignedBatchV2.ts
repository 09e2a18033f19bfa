import { randomUUID } from "node:crypto";
import { randomHex } from "../credential/buildUnsignedCredential.ts";
import type { RecipientInput } from "../credential/issuanceInputSchema.ts";
import { validateWith } from "../credential/validateCredential.ts";
import { buildUnsignedCredentialV2, type CredentialTemplateV2, signatureIdOf } from "../credential/v2/buildUnsignedCredentialV2.ts";
import { unsignedCredentialSchemaV2 } from "../credential/v2/credentialSchemaV2.ts";
import { InvalidCredentialError, type Problem } from "../errors/credentialErrors.ts";
import { buildBatchV2 } from "./buildBatchV2.ts";
import { randomSalts } from "./buildBatch.ts";
import type { CredentialBatch } from "./credentialBatch.ts";
import { shuffledIndices } from "./shuffledIndices.ts";

/** Signs one unsigned v2 credential with the signature id given (deterministic: Ed25519, fixed `created`). */
export type SignV2 = (credential: Record<string, unknown>, proofId: string) => Promise<Record<string, unknown>>;

/** A signed v2 batch: the tree and hashes, each signed credential rebuilt on demand from 130 bytes kept per leaf. */
export type SignedBatchV2 = CredentialBatch & {
  /** The signed credential (proof = [signature]) at leaf `index`: what its leaf covers. */
  credential(index: number): Record<string, unknown>;
  inputIndex(index: number): number;
  randomness(index: number): { id: string; emailSalt: string };
};

export type BuildSignedBatchV2Options = {
  /** Leaf order: `order[i]` is the input index of the recipient at leaf `i` (default: a cryptographic shuffle). */
  readonly order?: Uint32Array | undefined;
  /** The randomness of each leaf (a resumed batch passes what was stored; default: fresh). */
  readonly randomness?: ((index: number) => { id: string; emailSalt: string }) | undefined;
  /** The salt of each leaf (a resumed batch passes what was stored; default: fresh). */
  readonly salt?: ((index: number) => Buffer) | undefined;
  readonly progress?: ((done: number, total: number) => void) | undefined;
};

/**
 * Builds a format v2 batch from validated recipients: each credential built (docs/credential-format-v2.md), checked
 * against the v2 schema (every problem reported at once, `$[inputIndex]…`; nothing is signed then), signed by
 * `sign`, hashed with its salt; then the tree. Only the signature value is kept per credential; `credential(i)`
 * rebuilds the signed credential exactly.
 */
export async function buildSignedBatchV2(template: CredentialTemplateV2, recipients: readonly RecipientInput[], sign: SignV2, options: BuildSignedBatchV2Options = {}): Promise<SignedBatchV2> {
  const count = recipients.length;
  if (count === 0) throw new InvalidCredentialError("The recipient list", [{ path: "$", message: "needs at least one recipient" }]);
  const order = options.order ?? shuffledIndices(count);
  if (order.length !== count) throw new RangeError(`order has ${order.length} entries for ${count} recipients.`);
  const randomness = Array.from({ length: count }, (_, index) => options.randomness?.(index) ?? { id: `urn:uuid:${randomUUID()}`, emailSalt: randomHex(16) });
  const unsignedAt = (index: number) => buildUnsignedCredentialV2(template, recipients[order[index]!]!, index, randomness[index]) as unknown as Record<string, unknown>;

  const problems: Problem[] = [];
  for (let index = 0; index < count; index += 1) {
    const checked = validateWith(unsignedCredentialSchemaV2, unsignedAt(index));
    if (!checked.ok) problems.push(...checked.problems.map((problem) => ({ ...problem, path: `$[${order[index]}]${problem.path.slice(1)}` })));
  }
  if (problems.length > 0) throw new InvalidCredentialError("The recipient list", problems.slice(0, 100), problems.length);

  // Every signature of a batch shares its type, time, method and purpose: only the value differs.
  const signatures: string[] = new Array(count);
  let base: Record<string, unknown> | undefined;
  const signedAt = (index: number, proofValue: string) => ({ ...unsignedAt(index), proof: [{ id: signatureIdOf(randomness[index]!.id), ...base, proofValue }] });
  for (let index = 0; index < count; index += 1) {
    const signed = await sign(unsignedAt(index), signatureIdOf(randomness[index]!.id));
    const [proof] = signed.proof as Record<string, unknown>[];
    const { id: _id, proofValue, ...rest } = proof!;
    base ??= rest;
    signatures[index] = proofValue as string;
    if (options.progress !== undefined && (index + 1) % 1000 === 0) options.progress(index + 1, count);
  }
  const credential = (index: number) => signedAt(index, signatures[index]!);
  const batch = buildBatchV2(
    (function* () {
      for (let index = 0; index < count; index += 1) yield credential(index);
    })(),
    options.salt ?? randomSalts(),
  );
  return { ...batch, credential, inputIndex: (index) => order[index]!, randomness: (index) => randomness[index]! };
}
