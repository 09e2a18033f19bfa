import type { AuditEvent } from "./AuditIndex.ts";
import { isSigningKeyEvent } from "./signingKeyEvents.ts";

/** An issuer's state replayed from events. */
export type IssuerState = {
  readonly issuer: string;
  readonly name: string | null;
  readonly profileId: string | null;
  readonly accreditedAt: number | null;
  readonly deactivatedAt: number | null;
  readonly deactivationReason: number | null;
  readonly batches: number;
};

/** A batch's state replayed from events. */
export type BatchState = {
  readonly issuer: string;
  readonly root: string;
  readonly leafCount: number;
  readonly anchoredAt: number;
  readonly anchoredBlock: number;
  readonly revokedAt: number | null;
  readonly revocationReason: number | null;
  readonly revoked: number;
  readonly suspended: number;
};

/** A signing key's state (format v2) replayed from its key registry's events; times in seconds, null = never. */
export type SigningKeyState = {
  readonly key: string;
  readonly issuer: string;
  readonly addedAt: number;
  readonly retiredAt: number | null;
  /** From this time on, signatures by the key are not trusted (set by its revocation). */
  readonly compromisedAt: number | null;
  readonly revokedAt: number | null;
  readonly revocationReason: number | null;
  /** Who revoked it: the issuer, or an accreditor. */
  readonly revokedBy: string | null;
};

/** A credential's state replayed from events. */
export type CredentialState = {
  readonly revoked: boolean;
  readonly revokedAt: number | null;
  readonly suspended: boolean;
  readonly batchRevoked: boolean;
};

/**
 * Replays events (oldest first) into the state of every issuer, batch, credential and signing key they touch: the
 * registry as it stood after the last event given. Pass the events up to a moment to get the state at that moment.
 */
export function replayEvents(events: readonly AuditEvent[]) {
  const issuers = new Map<string, IssuerState & { batches: number }>();
  const batches = new Map<string, BatchState>();
  const revoked = new Map<string, Map<number, number>>();
  const suspended = new Map<string, Set<number>>();
  const signingKeys = new Map<string, SigningKeyState>();
  const batchKey = (issuer: string, root: string) => `${issuer}:${root}`;
  for (const event of events) {
    const issuer = event.issuer;
    if (issuer === null) continue;
    const current = issuers.get(issuer) ?? { issuer, name: null, profileId: null, accreditedAt: null, deactivatedAt: null, deactivationReason: null, batches: 0 };
    if (event.event === "IssuerAccredited") {
      issuers.set(issuer, { ...current, name: event.args.name ?? null, profileId: event.args.profileId ?? null, accreditedAt: event.blockTime });
      continue;
    }
    if (event.event === "IssuerDeactivated") {
      issuers.set(issuer, { ...current, deactivatedAt: event.blockTime, deactivationReason: event.reason });
      continue;
    }
    if (isSigningKeyEvent(event.event)) {
      const key = String(event.args.key).toLowerCase();
      const known = signingKeys.get(key);
      if (event.event === "SigningKeyAdded") {
        signingKeys.set(key, { key, issuer, addedAt: event.blockTime, retiredAt: null, compromisedAt: null, revokedAt: null, revocationReason: null, revokedBy: null });
      } else if (known !== undefined && event.event === "SigningKeyRetired") {
        signingKeys.set(key, { ...known, retiredAt: event.blockTime });
      } else if (known !== undefined && event.event === "SigningKeyRevoked") {
        signingKeys.set(key, { ...known, compromisedAt: Number(event.args.compromisedAt), revokedAt: event.blockTime, revocationReason: event.reason, revokedBy: event.actor });
      }
      continue;
    }
    const root = event.root;
    if (root === null) continue;
    const batchId = batchKey(issuer, root);
    const batch = batches.get(batchId);
    switch (event.event) {
      case "BatchAnchored":
        issuers.set(issuer, { ...current, batches: current.batches + 1 });
        batches.set(batchId, { issuer, root, leafCount: Number(event.args.leafCount), anchoredAt: event.blockTime, anchoredBlock: event.blockNumber, revokedAt: null, revocationReason: null, revoked: 0, suspended: 0 });
        revoked.set(batchId, new Map());
        suspended.set(batchId, new Set());
        break;
      case "BatchRevoked":
        if (batch) batches.set(batchId, { ...batch, revokedAt: event.blockTime, revocationReason: event.reason });
        break;
      case "CredentialRevoked":
        revoked.get(batchId)?.set(event.leafIndex!, event.blockTime);
        break;
      case "CredentialSuspended":
        suspended.get(batchId)?.add(event.leafIndex!);
        break;
      case "CredentialReinstated":
        suspended.get(batchId)?.delete(event.leafIndex!);
        break;
      default:
        break;
    }
  }
  for (const [key, batch] of batches) batches.set(key, { ...batch, revoked: revoked.get(key)?.size ?? 0, suspended: suspended.get(key)?.size ?? 0 });
  const credential = (issuer: string, root: string, leafIndex: number): CredentialState => {
    const key = batchKey(issuer.toLowerCase(), root.toLowerCase());
    const revokedAt = revoked.get(key)?.get(leafIndex) ?? null;
    return { revoked: revokedAt !== null, revokedAt, suspended: suspended.get(key)?.has(leafIndex) ?? false, batchRevoked: batches.get(key)?.revokedAt != null };
  };
  return { issuers, batches, credential, signingKeys };
}
