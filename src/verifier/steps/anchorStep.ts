import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { couldNotVerify, failed, isoTime, passed } from "./stepHelpers.ts";

/**
 * 4. The root is anchored at the registry by the issuer the proof names, early enough and deep enough; and the file
 * says where exactly as the chain does (block, transaction, and `proof.created` = the anchor block's time).
 */
export function anchorStep(facts: CredentialFacts): VerificationStep {
  const status = facts.onChain;
  const { anchor, merkleRoot, created } = facts.credential!.proof;
  if (status === undefined || facts.rpc === undefined || !facts.rpc.ok) return couldNotVerify("anchor", "the registry's credentialStatus could not be read.");
  if (status.anchoredAt === 0) return failed("anchor", `Root ${merkleRoot} was never anchored by ${anchor.issuer} at this registry.`, { issuer: anchor.issuer, root: merkleRoot });
  const details = { anchoredAt: isoTime(status.anchoredAt), anchoredBlock: status.anchoredBlock, issuer: anchor.issuer };
  if (anchor.blockNumber !== status.anchoredBlock) {
    return failed("anchor", `The file says the batch was anchored in block ${anchor.blockNumber}, but the registry records block ${status.anchoredBlock}.`, { ...details, fileBlock: anchor.blockNumber });
  }
  if (created !== isoTime(status.anchoredAt)) {
    return failed("anchor", `The file's proof.created ${created} is not the time of the anchor block, ${isoTime(status.anchoredAt)}.`, { ...details, fileCreated: created });
  }
  if (facts.anchorTransaction === undefined) return couldNotVerify("anchor", `the BatchAnchored event of block ${status.anchoredBlock} could not be read.`);
  if (facts.anchorTransaction === null) return failed("anchor", `Block ${status.anchoredBlock} holds no BatchAnchored event of root ${merkleRoot} by ${anchor.issuer}.`, details);
  if (facts.anchorTransaction !== anchor.transactionHash) {
    return failed("anchor", `The file names transaction ${anchor.transactionHash}, but the batch was anchored by transaction ${facts.anchorTransaction}.`, { ...details, transactionHash: facts.anchorTransaction });
  }
  if (facts.at.explicit && (facts.at.block !== undefined ? status.anchoredBlock > facts.at.block : status.anchoredAt > facts.at.time)) {
    return failed("anchor", `Anchored at ${isoTime(status.anchoredAt)} (block ${status.anchoredBlock}), after the moment checked.`, details);
  }
  const confirmations = facts.rpc.latestBlock - status.anchoredBlock + 1;
  const required = facts.options.confirmations ?? 1;
  if (confirmations < required) {
    return failed("anchor", `Anchored in block ${status.anchoredBlock}, only ${confirmations} confirmation${confirmations === 1 ? "" : "s"} deep; the policy asks for ${required}.`, { ...details, confirmations, required });
  }
  return passed("anchor", `Anchored ${isoTime(status.anchoredAt)} in block ${status.anchoredBlock} by ${anchor.issuer}, transaction ${anchor.transactionHash} (${confirmations} confirmation${confirmations === 1 ? "" : "s"}).`, { ...details, transactionHash: anchor.transactionHash, confirmations });
}
