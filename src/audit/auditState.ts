import type { AuditEvent } from "./AuditIndex.ts";

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

/** A credential's state replayed from events. */
export type CredentialState = {
  readonly revoked: boolean;
  readonly revokedAt: number | null;
  readonly suspended: boolean;
  readonly batchRevoked: boolean;
};

/**
 * Replays events (oldest first) into the state of every issuer, batch and credential they touch: the registry as it
 * stood after the last event given. Pass the events up to a moment to get the state at that moment.
 */
export function replayEvents(events: readonly AuditEvent[]) {
  const issuers = new Map<string, IssuerState & { batches: number }>();
  const batches = new Map<string, BatchState>();
  const revoked = new Map<string, Map<number, number>>();
  const suspended = new Map<string, Set<number>>();
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
    const root = event.root;
    if (root === null) continue;
    const key = batchKey(issuer, root);
    const batch = batches.get(key);
    switch (event.event) {
      case "BatchAnchored":
        issuers.set(issuer, { ...current, batches: current.batches + 1 });
        batches.set(key, { issuer, root, leafCount: Number(event.args.leafCount), anchoredAt: event.blockTime, anchoredBlock: event.blockNumber, revokedAt: null, revocationReason: null, revoked: 0, suspended: 0 });
        revoked.set(key, new Map());
        suspended.set(key, new Set());
        break;
      case "BatchRevoked":
        if (batch) batches.set(key, { ...batch, revokedAt: event.blockTime, revocationReason: event.reason });
        break;
      case "CredentialRevoked":
        revoked.get(key)?.set(event.leafIndex!, event.blockTime);
        break;
      case "CredentialSuspended":
        suspended.get(key)?.add(event.leafIndex!);
        break;
      case "CredentialReinstated":
        suspended.get(key)?.delete(event.leafIndex!);
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
  return { issuers, batches, credential };
}
