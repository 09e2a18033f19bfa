import { isComponentEvidence } from "../credential/v2/componentEvidenceSchemaV2.ts";
import type { CredentialV2 } from "../credential/v2/credentialSchemaV2.ts";
import { AUDIT_COLUMNS, type AuditEntry, auditEntriesToTable, auditEntryToCsvLine, csvCell } from "./auditTimeline.ts";

/**
 * Where one component of a stacked credential is anchored, as its evidence entry says (docs/stacking.md): what
 * `audit credential <issuer> <root> <index>` of the component would be given. Addresses and the root in lower case,
 * as the audit index keeps them.
 */
export type ComponentPlace = {
  /** The component credential's id. */
  readonly id: string;
  /** Its achievement's name, as the entry states it. */
  readonly name: string;
  readonly achievement: string;
  readonly issuer: string;
  readonly root: string;
  readonly leafIndex: number;
  /** The chain (`eip155:<id>`) and registry the entry says the component is anchored in. */
  readonly chainId: string;
  readonly registry: string;
};

/** A component's place and its history: `null` when it is anchored in another chain or registry than the one audited. */
export type ComponentTimeline = ComponentPlace & { readonly entries: readonly AuditEntry[] | null };

/**
 * The components a stacked credential names (its `CredregComponent2026` evidence entries, in the file's order); none
 * for any other credential. `credential` must have passed the format v2 schema (every member of an entry is there).
 */
export function componentPlacesOf(credential: CredentialV2): ComponentPlace[] {
  return (credential.evidence ?? []).filter(isComponentEvidence).map((entry) => ({
    id: entry.id,
    name: entry.name,
    achievement: entry.achievement,
    issuer: entry.anchor.issuer.toLowerCase(),
    root: entry.merkleRoot.toLowerCase(),
    leafIndex: entry.leafIndex,
    chainId: entry.anchor.chainId,
    registry: entry.anchor.registry.toLowerCase(),
  }));
}

/** Why a component has no history in this audit (anchored elsewhere). */
export const notAuditedHere = (component: ComponentPlace) =>
  `anchored in registry ${component.registry} on ${component.chainId}, not in the registry audited: audit it against its own registry.`;

/** The heading of a component's part of the table: its position, name, id and place. */
export const componentHeading = (component: ComponentPlace, position: number, total: number) =>
  `Component ${position} of ${total}: ${component.name} (${component.id}), issuer ${component.issuer}, batch ${component.root}, index ${component.leafIndex}`;

/**
 * A stacked credential's history as a table: its own (under a heading naming it), then each component's under a
 * heading of its own; "No event." for an empty history.
 */
export function stackedTimelineTable(own: { heading: string; entries: readonly AuditEntry[] }, components: readonly ComponentTimeline[]): string {
  const table = (entries: readonly AuditEntry[]) => (entries.length === 0 ? "No event." : auditEntriesToTable(entries));
  const parts = [`${own.heading}\n${table(own.entries)}`];
  components.forEach((component, index) => {
    parts.push(`${componentHeading(component, index + 1, components.length)}\n${component.entries === null ? `Not audited: ${notAuditedHere(component)}` : table(component.entries)}`);
  });
  return parts.join("\n\n");
}

/** The CSV columns of a stacked credential's history: the timeline's, then `component`. */
export const STACKED_AUDIT_COLUMNS = [...AUDIT_COLUMNS, "component"] as const;

/**
 * A stacked credential's history as one RFC 4180 CSV: the timeline's columns in their places, then `component`
 * (empty on the stacked credential's own rows, the component's id on its rows); its own rows first, then each
 * component's, in the file's order. A component anchored elsewhere has no row.
 */
export function stackedTimelineCsv(own: readonly AuditEntry[], components: readonly ComponentTimeline[]): string {
  const line = (entry: AuditEntry, component: string) => `${auditEntryToCsvLine(entry).slice(0, -2)},${csvCell(component)}\r\n`;
  const rows = [...own.map((entry) => line(entry, "")), ...components.flatMap((component) => (component.entries ?? []).map((entry) => line(entry, component.id)))];
  return `${STACKED_AUDIT_COLUMNS.join(",")}\r\n${rows.join("")}`;
}
