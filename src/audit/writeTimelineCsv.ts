import { once } from "node:events";
import type { Writable } from "node:stream";
import type { AuditEvent, AuditPosition } from "./AuditIndex.ts";
import { AUDIT_CSV_HEADER, auditEntryToCsvLine, toAuditEntry } from "./auditTimeline.ts";

/** Rows read from the index per query while streaming: the most events a CSV stream holds in memory at once. */
export const CSV_STREAM_CHUNK = 500;

/**
 * Writes a timeline as CSV to `out` (the header, then one CRLF line per event: byte for byte
 * {@link auditEntriesToCsv} of the same events), reading the index a chunk at a time by keyset (`readPage(after,
 * limit)`) and waiting for `out` to drain after each write: memory stays bounded by one chunk whatever the number of
 * events. Stops early when `out` is destroyed (the client went away). `limit`, when given, caps the rows. Does not end
 * `out`.
 */
export async function writeTimelineCsv(out: Writable, readPage: (after: AuditPosition | undefined, limit: number) => AuditEvent[], start: { after?: AuditPosition | undefined; limit?: number | undefined } = {}): Promise<void> {
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await Promise.race([once(out, "drain"), once(out, "close")]);
  };
  await write(AUDIT_CSV_HEADER);
  let after = start.after;
  let remaining = start.limit ?? Number.POSITIVE_INFINITY;
  while (remaining > 0 && !out.destroyed) {
    const events = readPage(after, Math.min(CSV_STREAM_CHUNK, remaining));
    if (events.length === 0) break;
    await write(events.map((event) => auditEntryToCsvLine(toAuditEntry(event))).join(""));
    remaining -= events.length;
    const last = events[events.length - 1]!;
    after = { blockNumber: last.blockNumber, logIndex: last.logIndex };
    if (events.length < CSV_STREAM_CHUNK) break;
  }
}
