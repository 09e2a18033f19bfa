import type { AuditEvent } from "./AuditIndex.ts";
import { type AuditEntry, toAuditEntry } from "./auditTimeline.ts";
import { replayEvents } from "./auditState.ts";

const CHANGES = new Set(["BatchAnchored", "BatchRevoked", "CredentialRevoked", "CredentialSuspended", "CredentialReinstated"]);

export type ConsistencyReport = {
  /** An issuer address, or "registry". */
  readonly scope: string;
  /** Every batch with its anchored size and its counts now. */
  readonly batches: readonly { issuer: string; root: string; leafCount: number; anchoredAt: string; revoked: number; suspended: number; batchRevoked: boolean }[];
  /** Status changes by anyone but the batch's issuer, other than an accreditor after the issuer's deactivation. Must be none. */
  readonly foreignChanges: readonly AuditEntry[];
  /** Anchors and status changes by an issuer after its deactivation. Must be none. */
  readonly changesAfterDeactivation: readonly AuditEntry[];
  /** Changes an accreditor made for a deactivated issuer: allowed, listed for review. */
  readonly accreditorInterventions: readonly AuditEntry[];
  /** Changes sent by another account than the actor (a relayer or a contract wallet): listed for review. */
  readonly senderDiffersFromActor: readonly AuditEntry[];
  readonly consistent: boolean;
};

/** Checks an issuer's (or the whole registry's) history against the registry's rules, from its events alone. */
export function consistencyReport(events: readonly AuditEvent[], issuer?: string): ConsistencyReport {
  const scoped = issuer === undefined ? events : events.filter((event) => event.issuer === issuer.toLowerCase());
  const deactivatedAt = new Map<string, number>();
  const foreignChanges: AuditEntry[] = [];
  const changesAfterDeactivation: AuditEntry[] = [];
  const accreditorInterventions: AuditEntry[] = [];
  const senderDiffersFromActor: AuditEntry[] = [];
  for (const event of scoped) {
    if (event.event === "IssuerDeactivated" && event.issuer !== null) deactivatedAt.set(event.issuer, event.blockNumber);
    if (!CHANGES.has(event.event) || event.issuer === null) continue;
    const deactivated = deactivatedAt.get(event.issuer);
    const afterDeactivation = deactivated !== undefined && event.blockNumber > deactivated;
    if (event.actor === event.issuer) {
      if (afterDeactivation) changesAfterDeactivation.push(toAuditEntry(event));
    } else if (afterDeactivation && event.event !== "BatchAnchored") {
      accreditorInterventions.push(toAuditEntry(event));
    } else {
      foreignChanges.push(toAuditEntry(event));
    }
    if (event.actor !== null && event.sender !== "" && event.sender !== event.actor) senderDiffersFromActor.push(toAuditEntry(event));
  }
  const { batches } = replayEvents(scoped);
  return {
    scope: issuer?.toLowerCase() ?? "registry",
    batches: [...batches.values()].map((batch) => ({
      issuer: batch.issuer,
      root: batch.root,
      leafCount: batch.leafCount,
      anchoredAt: `${new Date(batch.anchoredAt * 1000).toISOString().slice(0, 19)}Z`,
      revoked: batch.revoked,
      suspended: batch.suspended,
      batchRevoked: batch.revokedAt !== null,
    })),
    foreignChanges,
    changesAfterDeactivation,
    accreditorInterventions,
    senderDiffersFromActor,
    consistent: foreignChanges.length === 0 && changesAfterDeactivation.length === 0,
  };
}
