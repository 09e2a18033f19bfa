import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { AuditEvent, AuditPosition } from "../../src/audit/AuditIndex.ts";
import { auditEntriesToCsv, toAuditEntry } from "../../src/audit/auditTimeline.ts";
import { CSV_STREAM_CHUNK, writeTimelineCsv } from "../../src/audit/writeTimelineCsv.ts";

const event = (position: number): AuditEvent => ({
  blockNumber: Math.floor(position / 7) + 1,
  logIndex: position % 7,
  blockHash: "0xbb",
  blockTime: 1_790_000_000 + position,
  transactionHash: `0x${position.toString(16).padStart(64, "0")}`,
  sender: "0x33",
  event: "CredentialStatusChanged",
  issuer: "0x11",
  root: "0x22",
  leafIndex: position,
  reason: 1,
  actor: "0x11",
  args: { index: String(position), note: 'a "quoted, text"' },
  final: true,
});

/** An index of `count` events read by keyset, recording how many rows each read returned. */
function fakeIndex(count: number) {
  const all = Array.from({ length: count }, (_, position) => event(position));
  const reads: number[] = [];
  const readPage = (after: AuditPosition | undefined, limit: number) => {
    const start = after === undefined ? 0 : all.findIndex((e) => e.blockNumber > after.blockNumber || (e.blockNumber === after.blockNumber && e.logIndex > after.logIndex));
    const page = start === -1 ? [] : all.slice(start, start + limit);
    reads.push(page.length);
    return page;
  };
  return { all, reads, readPage };
}

describe("writeTimelineCsv", () => {
  it("behavior: a slow reader holds the writer back: the index is read a chunk at a time, only as the reader drains", async () => {
    const { all, reads, readPage } = fakeIndex(CSV_STREAM_CHUNK * 10 + 3);
    const chunks: string[] = [];
    const pending: (() => void)[] = [];
    // A reader that takes each chunk only when the test says so (1-byte buffer: every write waits for it).
    const out = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString("utf8"));
        pending.push(callback);
      },
    });
    const writing = writeTimelineCsv(out, readPage);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Stalled on the header: nothing read from the index yet, whatever its size.
    expect(reads).toEqual([]);
    while (pending.length > 0 || reads.length === 0 || reads.at(-1) === CSV_STREAM_CHUNK) {
      const inFlight = reads.length;
      pending.shift()?.();
      await new Promise((resolve) => setTimeout(resolve, 5));
      // One chunk of the index per chunk the reader took, never more: memory is bounded by one chunk.
      expect(reads.length - inFlight).toBeLessThanOrEqual(1);
      if (pending.length === 0 && reads.at(-1)! < CSV_STREAM_CHUNK) break;
    }
    await writing;
    expect(Math.max(...reads)).toBe(CSV_STREAM_CHUNK);
    expect(reads.reduce((sum, n) => sum + n, 0)).toBe(all.length);
    expect(chunks.join("")).toBe(auditEntriesToCsv(all.map(toAuditEntry)));
  });

  it("behavior: limit caps the rows; an empty timeline is the header alone", async () => {
    const collect = async (count: number, limit?: number) => {
      const { readPage } = fakeIndex(count);
      let text = "";
      await writeTimelineCsv(new Writable({ write: (chunk: Buffer, _encoding, callback) => ((text += chunk.toString("utf8")), callback()) }), readPage, { limit });
      return text;
    };
    expect(await collect(1200, 701)).toBe(auditEntriesToCsv(fakeIndex(1200).all.slice(0, 701).map(toAuditEntry)));
    expect(await collect(0)).toBe(auditEntriesToCsv([]));
  });
});
