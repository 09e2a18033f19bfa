import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { couldNotVerify, failed, isoTime, notChecked, passed } from "./stepHelpers.ts";

/** 4. The root is anchored at the registry by the issuer the proof names, early enough and deep enough. */
export function anchorStep(facts: CredentialFacts, chainPassed: boolean): VerificationStep {
  if (!chainPassed) return notChecked("anchor", "chain");
  const status = facts.onChain;
  const { anchor, merkleRoot } = facts.credential!.proof;
  if (status === undefined || facts.rpc === undefined || !facts.rpc.ok) return couldNotVerify("anchor", "the registry's credentialStatus could not be read.");
  if (status.anchoredAt === 0) return failed("anchor", `Root ${merkleRoot} was never anchored by ${anchor.issuer} at this registry.`, { issuer: anchor.issuer, root: merkleRoot });
  const details = { anchoredAt: isoTime(status.anchoredAt), anchoredBlock: status.anchoredBlock, issuer: anchor.issuer, fileBlockMatches: anchor.blockNumber === status.anchoredBlock };
  if (facts.at.explicit && (facts.at.block !== undefined ? status.anchoredBlock > facts.at.block : status.anchoredAt > facts.at.time)) {
    return failed("anchor", `Anchored at ${isoTime(status.anchoredAt)} (block ${status.anchoredBlock}), after the moment checked.`, details);
  }
  const confirmations = facts.rpc.latestBlock - status.anchoredBlock + 1;
  const required = facts.options.confirmations ?? 1;
  if (confirmations < required) {
    return failed("anchor", `Anchored in block ${status.anchoredBlock}, only ${confirmations} confirmation${confirmations === 1 ? "" : "s"} deep; the policy asks for ${required}.`, { ...details, confirmations, required });
  }
  return passed("anchor", `Anchored ${isoTime(status.anchoredAt)} in block ${status.anchoredBlock} by ${anchor.issuer} (${confirmations} confirmation${confirmations === 1 ? "" : "s"}).`, { ...details, confirmations });
}
