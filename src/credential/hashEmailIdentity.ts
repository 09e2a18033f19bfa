import { createHash } from "node:crypto";

/**
 * Open Badges 3.0 hashed identity of an e-mail address: `sha256$` + hex(sha256(normalizedEmail + salt)), where the
 * address is trimmed and lower-cased, so that a verifier holding the address recomputes the same hash.
 */
export function hashEmailIdentity(email: string, salt: string): string {
  const normalized = normalizeEmail(email);
  return `sha256$${createHash("sha256").update(normalized + salt, "utf8").digest("hex")}`;
}

/** The form of an e-mail address that gets hashed: trimmed, lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
