import { RegistryRevertedError } from "../errors/chainErrors.ts";
import { describeReason } from "./reasonCodes.ts";
import { keyRegistryInterface } from "./keyRegistryContract.ts";
import { registryInterface } from "./registryContract.ts";

type Args = Record<string, unknown>;

/** What each registry error means, and what to do about it. */
const explanations: Record<string, (args: Args) => string> = {
  CredentialRegistryInvalidIssuer: () => "the issuer address is the zero address.",
  CredentialRegistryInvalidIssuerName: (a) => `the issuer name must be 1 to ${a.maxLength} bytes (got ${a.length}).`,
  CredentialRegistryInvalidProfileId: (a) => `the profile id must be 1 to ${a.maxLength} bytes (got ${a.length}).`,
  CredentialRegistryIssuerAlreadyAccredited: (a) =>
    `${a.issuer} is already accredited (an address is accredited once; accredit a new key instead).`,
  CredentialRegistryIssuerNotAccredited: (a) => `${a.issuer} is not an accredited issuer; ask an accreditor to accredit it.`,
  CredentialRegistryIssuerDeactivated: (a) =>
    `${a.issuer} was deactivated at ${formatTime(a.deactivatedAt)}; it can no longer anchor or change statuses.`,
  CredentialRegistryIssuerActive: (a) =>
    `${a.issuer} is still active: only the issuer itself can change its statuses until it is deactivated.`,
  CredentialRegistryInvalidBatch: (a) => `a batch needs a non-zero root and leaf count (got root ${a.root}, count ${a.leafCount}).`,
  CredentialRegistryBatchAlreadyAnchored: (a) => `batch ${a.root} was already anchored at ${formatTime(a.anchoredAt)}.`,
  CredentialRegistryBatchNotFound: (a) => `${a.issuer} never anchored batch ${a.root}.`,
  CredentialRegistryBatchRevoked: (a) => `batch ${a.root} was revoked at ${formatTime(a.revokedAt)} and can no longer change.`,
  CredentialRegistryNoIndices: (a) => `no credential index was given for batch ${a.root}.`,
  CredentialRegistryIndexOutOfRange: (a) =>
    `index ${a.index} is outside batch ${a.root}, which holds ${a.leafCount} credentials (0 to ${Number(a.leafCount) - 1}).`,
  CredentialRegistryCredentialRevoked: (a) => `credential ${a.index} of batch ${a.root} is already revoked (final).`,
  CredentialRegistryCredentialSuspended: (a) => `credential ${a.index} of batch ${a.root} is already suspended.`,
  CredentialRegistryCredentialNotSuspended: (a) => `credential ${a.index} of batch ${a.root} is not suspended.`,
  CredentialRegistryUnknownReason: (a) =>
    `reason code ${a.reason} is unknown (valid codes are 0 to ${a.maxReason}; see docs/reason-codes.md).`,
  IssuerKeyRegistryNotActiveIssuer: (a) => `${a.caller} is not an active accredited issuer, so it cannot bind signing keys.`,
  IssuerKeyRegistryInvalidKey: () => "the zero key is not a signing key.",
  IssuerKeyRegistryKeyAlreadyBound: (a) => `signing key ${a.key} is already bound to ${a.issuer} (a key belongs to one issuer, ever).`,
  IssuerKeyRegistryUnknownKey: (a) => `signing key ${a.key} was never added.`,
  IssuerKeyRegistryNotKeyIssuer: (a) => `${a.caller} may not change signing key ${a.key}, which is bound to ${a.issuer}.`,
  IssuerKeyRegistryKeyRetired: (a) => `signing key ${a.key} was already retired at ${formatTime(a.retiredAt)}.`,
  IssuerKeyRegistryKeyRevoked: (a) => `signing key ${a.key} was already revoked at ${formatTime(a.revokedAt)}.`,
  IssuerKeyRegistryInvalidCompromiseTime: (a) =>
    `the compromise time ${formatTime(a.compromisedAt)} must lie between the key's addition (${formatTime(a.addedAt)}) and now (${formatTime(a.now)}).`,
  IssuerKeyRegistryUnknownReason: (a) =>
    `reason code ${a.reason} is unknown (valid codes are 0 to ${a.maxReason}; see docs/reason-codes.md).`,
  AccessControlUnauthorizedAccount: (a) => `${a.account} lacks the role ${a.neededRole} needed for this call.`,
};

function formatTime(seconds: unknown): string {
  const value = Number(seconds);
  return Number.isFinite(value) && value > 0 ? new Date(value * 1000).toISOString() : String(seconds);
}

function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || error === null || typeof error !== "object") return undefined;
  const candidate = error as { data?: unknown; error?: unknown; info?: unknown; cause?: unknown };
  if (typeof candidate.data === "string" && /^0x[0-9a-fA-F]{8}/.test(candidate.data)) return candidate.data;
  for (const inner of [candidate.data, candidate.error, candidate.info, candidate.cause]) {
    const found = findRevertData(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Turns a failed registry call into a {@link RegistryRevertedError} that names the custom error, its arguments and
 * what they mean. Returns `undefined` when `error` carries no registry revert (an RPC failure, say).
 */
export function decodeRegistryError(error: unknown): RegistryRevertedError | undefined {
  const data = findRevertData(error);
  if (!data) return undefined;
  let parsed;
  try {
    parsed = registryInterface.parseError(data) ?? keyRegistryInterface.parseError(data);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const args: Args = {};
  parsed.fragment.inputs.forEach((input, position) => {
    const value = parsed.args[position];
    const known = input.name === "reason" && describeReason(value).name !== "Unknown";
    args[input.name] = known ? `${value} (${describeReason(value).name})` : value;
  });
  const explain = explanations[parsed.name] ?? (() => `${parsed.name}.`);
  return new RegistryRevertedError(parsed.name, args, explain(args), { cause: error });
}
