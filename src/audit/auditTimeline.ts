import { describeReason } from "../chain/reasonCodes.ts";
import type { AuditEvent } from "./AuditIndex.ts";
import { isSigningKeyEvent } from "./signingKeyEvents.ts";

/** One line of an audit timeline: what happened, to what, when, why, by whom, in which transaction. */
export type AuditEntry = {
  readonly time: string;
  readonly blockNumber: number;
  readonly transactionHash: string;
  readonly logIndex: number;
  readonly event: string;
  readonly issuer: string | null;
  readonly root: string | null;
  readonly leafIndex: number | null;
  readonly reason: number | null;
  readonly reasonName: string | null;
  readonly reasonDescription: string | null;
  readonly actor: string | null;
  readonly sender: string;
  /** The signing key (bytes32) of a key registry event (SigningKeyAdded, SigningKeyRetired, SigningKeyRevoked). */
  readonly signingKey: string | null;
  /** SigningKeyRevoked: from when the key's signatures are not trusted. */
  readonly compromisedAt: string | null;
  /** The event's other arguments (name, profileId, leafCount, role, key, compromisedAt as a time, ...). */
  readonly details: string;
  readonly final: boolean;
};

const isoTime = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;

const SHOWN = new Set(["issuer", "root", "index", "reason", "accreditor", "actor", "sender"]);

/** An argument as the timeline shows it: times (seconds) as UTC date-times, anything else as it is. */
const shownArgument = (key: string, value: string) => (key === "compromisedAt" && /^\d+$/.test(value) ? isoTime(Number(value)) : value);

export function toAuditEntry(event: AuditEvent): AuditEntry {
  const reason = event.reason === null ? null : describeReason(event.reason);
  const keyEvent = isSigningKeyEvent(event.event);
  return {
    time: isoTime(event.blockTime),
    blockNumber: event.blockNumber,
    transactionHash: event.transactionHash,
    logIndex: event.logIndex,
    event: event.event,
    issuer: event.issuer,
    root: event.root,
    leafIndex: event.leafIndex,
    reason: event.reason,
    reasonName: reason?.name ?? null,
    reasonDescription: reason?.description ?? null,
    actor: event.actor,
    sender: event.sender,
    signingKey: keyEvent ? (event.args.key ?? null) : null,
    compromisedAt: keyEvent && event.args.compromisedAt !== undefined ? shownArgument("compromisedAt", event.args.compromisedAt) : null,
    details: Object.entries(event.args)
      .filter(([key]) => !SHOWN.has(key))
      .map(([key, value]) => `${key}=${shownArgument(key, value)}`)
      .join(" "),
    final: event.final,
  };
}

export const AUDIT_COLUMNS = ["time", "blockNumber", "transactionHash", "logIndex", "event", "issuer", "root", "leafIndex", "reason", "reasonName", "actor", "sender", "details", "final"] as const;

/** One RFC 4180 CSV cell: quoted (its quotes doubled) when it holds a quote, a comma or a line break. */
export const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The CSV header line, with its CRLF: the first chunk of a streamed CSV timeline. */
export const AUDIT_CSV_HEADER = `${AUDIT_COLUMNS.join(",")}\r\n`;

/** One entry as one CSV line, with its CRLF: the streamed CSV is the header then these lines, nothing else. */
export function auditEntryToCsvLine(entry: AuditEntry): string {
  return `${AUDIT_COLUMNS.map((column) => csvCell(entry[column])).join(",")}\r\n`;
}

/** RFC 4180 CSV with a header row, for spreadsheets. */
export function auditEntriesToCsv(entries: readonly AuditEntry[]): string {
  return AUDIT_CSV_HEADER + entries.map(auditEntryToCsvLine).join("");
}

/** A fixed-width table for terminals. */
export function auditEntriesToTable(entries: readonly AuditEntry[]): string {
  const short = (value: string | null) => (value === null ? "" : value.length > 14 ? `${value.slice(0, 8)}…${value.slice(-4)}` : value);
  const rows = entries.map((entry) => [
    entry.time,
    String(entry.blockNumber),
    entry.event,
    short(entry.issuer),
    short(entry.root),
    entry.leafIndex === null ? "" : String(entry.leafIndex),
    entry.reasonName ?? "",
    short(entry.actor),
    short(entry.transactionHash),
    entry.details,
  ]);
  const header = ["time", "block", "event", "issuer", "root", "index", "reason", "actor", "transaction", "details"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((value, column) => value.padEnd(widths[column]!)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
