import { describeReason } from "../../chain/reasonCodes.ts";
import type { CredentialFacts, StatusEvent, VerificationStep } from "../verificationTypes.ts";
import { couldNotVerify, failed, isoTime, passed } from "./stepHelpers.ts";

const why = (event: StatusEvent | undefined, fallbackReason?: number) => {
  const reason = describeReason(event?.reason ?? fallbackReason ?? 0);
  const when = event ? ` at ${isoTime(event.blockTime)} (block ${event.blockNumber}, transaction ${event.transactionHash})` : "";
  return { text: `${when} for reason ${reason.code} (${reason.name}: ${reason.description.replace(/\.$/, "")})`, details: { reason: reason.code, reasonName: reason.name, reasonDescription: reason.description, ...(event ? { at: isoTime(event.blockTime), blockNumber: event.blockNumber, transactionHash: event.transactionHash } : {}) } };
};

/** 6. Not revoked, not suspended, batch not revoked (now, or at the moment checked); when it is: when, why, which transaction. */
export function statusStep(facts: CredentialFacts): VerificationStep {
  const status = facts.onChain;
  if (status === undefined) return couldNotVerify("status", "the registry's credentialStatus could not be read.");
  const history = facts.history ?? [];
  const time = facts.at.time;
  const upTo = facts.at.explicit ? history.filter((event) => (facts.at.block !== undefined ? event.blockNumber <= facts.at.block : event.blockTime <= time)) : history;
  if (facts.at.explicit && facts.history === undefined) return couldNotVerify("status", "the registry's events could not be read.");
  const batchRevoked = facts.at.explicit ? upTo.find((event) => event.kind === "batchRevoked") : status.batchRevoked ? (history.find((event) => event.kind === "batchRevoked") ?? null) : undefined;
  if (batchRevoked !== undefined) {
    const { text, details } = why(batchRevoked ?? undefined, status.batchRevocationReason);
    return failed("status", `The whole batch was revoked${batchRevoked ? text : ` at ${isoTime(status.batchRevokedAt)}${text}`}.`, { state: "batchRevoked", ...details });
  }
  const revoked = facts.at.explicit ? upTo.find((event) => event.kind === "revoked") : status.revoked ? (history.find((event) => event.kind === "revoked") ?? null) : undefined;
  if (revoked !== undefined) {
    const { text, details } = why(revoked ?? undefined);
    return failed("status", `Revoked${text}.`, { state: "revoked", ...details });
  }
  const lastSuspension = [...upTo].reverse().find((event) => event.kind === "suspended" || event.kind === "reinstated");
  const suspended = facts.at.explicit ? (lastSuspension?.kind === "suspended" ? lastSuspension : undefined) : status.suspended ? (lastSuspension?.kind === "suspended" ? lastSuspension : null) : undefined;
  if (suspended !== undefined) {
    const { text, details } = why(suspended ?? undefined);
    return failed("status", `Suspended${text}.`, { state: "suspended", ...details });
  }
  const reinstated = lastSuspension?.kind === "reinstated" ? ` (suspended earlier, reinstated at ${isoTime(lastSuspension.blockTime)})` : "";
  return passed("status", `Not revoked, not suspended, batch not revoked${facts.at.explicit ? ` at ${isoTime(time)}` : ""}${reinstated}.`, { state: "active" });
}
