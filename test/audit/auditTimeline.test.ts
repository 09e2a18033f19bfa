import { describe, expect, it } from "vitest";
import { AUDIT_COLUMNS, AUDIT_CSV_HEADER, type AuditEntry, auditEntriesToCsv, auditEntryToCsvLine } from "../../src/audit/auditTimeline.ts";

const entry = (overrides: Partial<AuditEntry>): AuditEntry => ({
  time: "2026-09-01T00:00:00Z",
  blockNumber: 7,
  transactionHash: "0xabc",
  logIndex: 2,
  event: "CredentialStatusChanged",
  issuer: "0x1111111111111111111111111111111111111111",
  root: "0x22",
  leafIndex: 3,
  reason: 1,
  reasonName: "Misconduct",
  reasonDescription: "misconduct",
  actor: null,
  sender: "0x33",
  signingKey: null,
  compromisedAt: null,
  details: "",
  final: true,
  ...overrides,
});

/** The whole-string CSV as it was written before streaming (RFC 4180, CRLF): the streamed lines must equal it. */
function previousCsv(entries: readonly AuditEntry[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [AUDIT_COLUMNS.join(","), ...entries.map((e) => AUDIT_COLUMNS.map((column) => cell(e[column])).join(","))].join("\r\n") + "\r\n";
}

describe("audit CSV", () => {
  it("default: the header and line functions compose to the previous whole-string CSV, byte for byte", () => {
    const entries = [entry({}), entry({ details: 'name="A, B" role=x', actor: "0x44", final: false }), entry({ details: "multi\nline\rtext", leafIndex: null, reason: null, reasonName: null })];
    expect(auditEntriesToCsv(entries)).toBe(previousCsv(entries));
    expect(AUDIT_CSV_HEADER + entries.map(auditEntryToCsvLine).join("")).toBe(previousCsv(entries));
    expect(auditEntriesToCsv([])).toBe(previousCsv([]));
    expect(auditEntryToCsvLine(entries[1]!)).toBe('2026-09-01T00:00:00Z,7,0xabc,2,CredentialStatusChanged,0x1111111111111111111111111111111111111111,0x22,3,1,Misconduct,0x44,0x33,"name=""A, B"" role=x",false\r\n');
  });
});
