/** One entry of the registry's reason-code table (the `uint8 reason` of every status change and deactivation). */
export type ReasonCode = {
  readonly code: number;
  readonly name: string;
  readonly description: string;
};

/**
 * The reason codes the registry accepts, `0 .. MAX_REASON`. Fixed forever: the contract rejects any other code,
 * and auditors read these meanings back from events. Any code may be used with any action; `typicalFor` in the
 * docs (docs/reason-codes.md) says where each one is usual.
 */
export const reasonCodes = [
  { code: 0, name: "Unspecified", description: "No reason given." },
  { code: 1, name: "IssuedInError", description: "Issued by mistake (wrong recipient, wrong data)." },
  { code: 2, name: "Superseded", description: "Replaced by a newer credential." },
  { code: 3, name: "Misconduct", description: "Academic misconduct or fraud by the holder." },
  { code: 4, name: "KeyCompromise", description: "The issuer's signing key was compromised." },
  { code: 5, name: "HolderRequest", description: "Withdrawn at the holder's request." },
  { code: 6, name: "AccreditationWithdrawn", description: "The issuer or programme lost its accreditation." },
  { code: 7, name: "CessationOfOperation", description: "The issuer ceased operating or retired this key." },
  { code: 8, name: "UnderInvestigation", description: "Under investigation (usual for a suspension)." },
  { code: 9, name: "ReviewCompleted", description: "Review completed (usual for a reinstatement)." },
] as const satisfies readonly ReasonCode[];

/** The highest reason code the registry accepts (the contract's `MAX_REASON`). */
export const MAX_REASON = reasonCodes.length - 1;

/** The table entry for `code`, or an "Unknown" entry for a code outside the table. */
export function describeReason(code: number | bigint): ReasonCode {
  const numeric = Number(code);
  return (
    reasonCodes.find((entry) => entry.code === numeric) ?? {
      code: numeric,
      name: "Unknown",
      description: `Code ${numeric} is not in the reason-code table.`,
    }
  );
}

/** The reason code named `nameOrCode` (a name such as "Superseded", case-insensitive, or a number), if any. */
export function findReason(nameOrCode: string | number): ReasonCode | undefined {
  const text = String(nameOrCode).trim();
  if (/^\d+$/.test(text)) return reasonCodes.find((entry) => entry.code === Number(text));
  return reasonCodes.find((entry) => entry.name.toLowerCase() === text.toLowerCase().replace(/[-_ ]/g, ""));
}
