import { randomFillSync, randomUUID } from "node:crypto";
import { getAddress } from "ethers";
import { ACHIEVEMENT_TYPE, OB3_CONTEXT, STATUS_ENTRY_TYPE, VC_V2_CONTEXT } from "./constants.ts";
import type { Identity, UnsignedCredential } from "./credentialSchema.ts";
import { hashEmailIdentity } from "./hashEmailIdentity.ts";
import type { AchievementInput, RecipientInput } from "./issuanceInputSchema.ts";

/** What all credentials of a batch share. */
export type CredentialTemplate = {
  /** The issuer: `id` is its profile id as accredited on chain, `name` its display name. */
  readonly issuer: { readonly id: string; readonly name: string };
  readonly achievement: AchievementInput;
  /** The registry whose status lists hold this batch. */
  readonly registry: { readonly chainId: bigint | number | string; readonly address: string };
  /** The credential's display name (default: the achievement's name). */
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** Default `validFrom` for recipients that have none (default: now). */
  readonly validFrom?: string | undefined;
  readonly validUntil?: string | undefined;
};

/** What is generated per credential; tests and reproducible fixtures pass their own. */
export type CredentialRandomness = {
  /** `urn:uuid:<uuid>` (default: a random UUID). */
  readonly id?: string | undefined;
  /** Salt of the hashed e-mail, 32 hex digits (default: 16 random bytes). */
  readonly emailSalt?: string | undefined;
};

/** What every credential of a template shares, computed once per template (a checksummed address costs a keccak). */
type TemplateParts = {
  readonly registry: string;
  readonly issuer: UnsignedCredential["issuer"];
  readonly achievement: UnsignedCredential["credentialSubject"]["achievement"];
};
const templateParts = new WeakMap<CredentialTemplate, TemplateParts>();

function partsOf(template: CredentialTemplate): TemplateParts {
  let parts = templateParts.get(template);
  if (parts === undefined) {
    const { id, ...achievementRest } = template.achievement;
    parts = {
      registry: `eip155:${BigInt(template.registry.chainId)}:${getAddress(template.registry.address)}`,
      issuer: { id: template.issuer.id, type: ["Profile"], name: template.issuer.name },
      // One shared object per template: credentials of a batch reference the same achievement.
      achievement: { id, type: ["Achievement"], achievementType: ACHIEVEMENT_TYPE, ...achievementRest },
    };
    templateParts.set(template, parts);
  }
  return parts;
}

/** Random hex from a pooled cryptographic source (one syscall per 64 KiB, not per credential). */
export const randomHex = (() => {
  const pool = Buffer.alloc(65_536);
  let offset = pool.length;
  return (bytes: number): string => {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const hex = pool.toString("hex", offset, offset + bytes);
    offset += bytes;
    return hex;
  };
})();

/** The holder's identifiers (every format): the name in clear, the e-mail salted and hashed with `emailSalt` (default: random). */
export function holderIdentifiers(recipient: RecipientInput, emailSalt?: string): Identity[] {
  const identifier: Identity[] = [];
  if (recipient.name !== undefined) {
    identifier.push({ type: "IdentityObject", identityType: "name", hashed: false, identityHash: recipient.name });
  }
  if (recipient.email !== undefined) {
    const salt = emailSalt ?? randomHex(16);
    identifier.push({ type: "IdentityObject", identityType: "emailAddress", hashed: true, identityHash: hashEmailIdentity(recipient.email, salt), salt });
  }
  return identifier;
}

/** `2026-06-30T12:00:00Z`: a dateTimeStamp without milliseconds. */
export function nowAsDateTime(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * Builds the unsigned credential (everything but `proof`) of `recipient` at leaf `index`: a W3C VC 2.0 /
 * Open Badges 3.0 micro-credential whose `credentialStatus` points at the registry's two status lists.
 * The input is expected to be valid (see issuanceInputSchema); the output is what contentHash covers.
 * Credentials of one template share its issuer and achievement objects: treat them as read-only.
 */
export function buildUnsignedCredential(
  template: CredentialTemplate,
  recipient: RecipientInput,
  index: number,
  randomness: CredentialRandomness = {},
): UnsignedCredential {
  const identifier = holderIdentifiers(recipient, randomness.emailSalt);
  const { registry, issuer, achievement } = partsOf(template);
  const statusListIndex = String(index);
  const validUntil = recipient.validUntil ?? template.validUntil;
  const credential: UnsignedCredential = {
    "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
    id: randomness.id ?? `urn:uuid:${randomUUID()}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    issuer,
    name: template.name ?? template.achievement.name,
    ...(template.description === undefined ? {} : { description: template.description }),
    validFrom: recipient.validFrom ?? template.validFrom ?? nowAsDateTime(),
    ...(validUntil === undefined ? {} : { validUntil }),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier,
      achievement,
      ...(recipient.creditsEarned === undefined ? {} : { creditsEarned: recipient.creditsEarned }),
      ...(recipient.result === undefined ? {} : { result: recipient.result }),
    },
    credentialStatus: [
      { type: STATUS_ENTRY_TYPE, statusPurpose: "revocation", statusListIndex, registry },
      { type: STATUS_ENTRY_TYPE, statusPurpose: "suspension", statusListIndex, registry },
    ],
    ...(recipient.evidence === undefined ? {} : { evidence: recipient.evidence }),
  };
  return credential;
}
