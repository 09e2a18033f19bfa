import type { AuditPosition } from "./AuditIndex.ts";

/**
 * An opaque paging cursor for the position of the last event of a page (base64url of `blockNumber.logIndex`): the next
 * page starts strictly after it.
 */
export function encodeAuditCursor(position: AuditPosition): string {
  return Buffer.from(`${position.blockNumber}.${position.logIndex}`, "utf8").toString("base64url");
}

/** The position a cursor names, or undefined when the text is not a cursor {@link encodeAuditCursor} made. */
export function decodeAuditCursor(cursor: string): AuditPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const match = /^(\d{1,15})\.(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (match === null) return undefined;
  const position = { blockNumber: Number(match[1]), logIndex: Number(match[2]) };
  // Only the canonical spelling: one position, one cursor.
  return encodeAuditCursor(position) === cursor ? position : undefined;
}
