import { id } from "ethers";
import type { AuditEvent } from "./AuditIndex.ts";
import { type AuditEntry, toAuditEntry } from "./auditTimeline.ts";
import { replayEvents } from "./auditState.ts";

const CHANGES = new Set(["BatchAnchored", "BatchRevoked", "CredentialRevoked", "CredentialSuspended", "CredentialReinstated"]);
const ACCREDITOR_ROLE = id("ACCREDITOR_ROLE");

export type ConsistencyReport = {
  /** An issuer address, or "registry". */
  readonly scope: string;
  /** Every batch with its anchored size and its counts now. */
  readonly batches: readonly { issuer: string; root: string; leafCount: number; anchoredAt: string; revoked: number; suspended: number; batchRevoked: boolean }[];
  /**
   * Anchors and status changes whose actor is not the batch's issuer, other than an account holding ACCREDITOR_ROLE
   * (by the history's role grants) acting after the issuer's deactivation. Must be none.
   */
  readonly foreignChanges: readonly AuditEntry[];
  /** Anchors and status changes by an issuer after its deactivation. Must be none. */
  readonly changesAfterDeactivation: readonly AuditEntry[];
  /** Changes an accreditor made for a deactivated issuer: allowed, listed for review. */
  readonly accreditorInterventions: readonly AuditEntry[];
  /** Changes sent by another account than the actor (a relayer or a contract wallet): listed for review. */
  readonly senderDiffersFromActor: readonly AuditEntry[];
  readonly consistent: boolean;
};

/**
 * Checks an issuer's (or the whole registry's) history against the registry's rules, from its events alone.
 * `events` is the registry's whole history, oldest first (as `AuditIndex.events` gives it, unfiltered): who held
 * ACCREDITOR_ROLE when is read from its RoleGranted and RoleRevoked events, whatever the scope.
 */
export function consistencyReport(events: readonly AuditEvent[], issuer?: string): ConsistencyReport {
  const scope = issuer?.toLowerCase();
  const scoped = scope === undefined ? events : events.filter((event) => event.issuer === scope);
  const accreditors = new Set<string>();
  const deactivated = new Set<string>();
  const foreignChanges: AuditEntry[] = [];
  const changesAfterDeactivation: AuditEntry[] = [];
  const accreditorInterventions: AuditEntry[] = [];
  const senderDiffersFromActor: AuditEntry[] = [];
  for (const event of events) {
    const account = event.args.account?.toLowerCase();
    if (event.args.role === ACCREDITOR_ROLE && account !== undefined) {
      if (event.event === "RoleGranted") accreditors.add(account);
      if (event.event === "RoleRevoked") accreditors.delete(account);
    }
    if (event.issuer === null || (scope !== undefined && event.issuer !== scope)) continue;
    // Events are in chain order: "after the deactivation" is "later in the history", within one block too.
    if (event.event === "IssuerDeactivated") deactivated.add(event.issuer);
    if (!CHANGES.has(event.event)) continue;
    const afterDeactivation = deactivated.has(event.issuer);
    if (event.actor === event.issuer) {
      if (afterDeactivation) changesAfterDeactivation.push(toAuditEntry(event));
    } else if (afterDeactivation && event.event !== "BatchAnchored" && event.actor !== null && accreditors.has(event.actor)) {
      accreditorInterventions.push(toAuditEntry(event));
    } else {
      foreignChanges.push(toAuditEntry(event));
    }
    if (event.actor !== null && event.sender !== "" && event.sender !== event.actor) senderDiffersFromActor.push(toAuditEntry(event));
  }
  const { batches } = replayEvents(scoped);
  return {
    scope: scope ?? "registry",
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
