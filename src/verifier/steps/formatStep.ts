import { PROOF_TYPE } from "../../credential/constants.ts";
import { ANCHOR_PROOF_TYPE_V2 } from "../../credential/v2/credregContextV2.ts";
import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { failed, passed } from "./stepHelpers.ts";

/** 1. The file is a credential of our format: VC 2.0 / Open Badges 3.0 shape, status entries, proof fields. */
export function formatStep(facts: CredentialFacts): VerificationStep {
  if (facts.credential === undefined) {
    const [first] = facts.formatProblems;
    const count = facts.formatProblems.length;
    return failed("format", `Not a credential of this format: ${count} problem${count === 1 ? "" : "s"}${first ? `, first ${first.path}: ${first.message}` : ""}.`, { problems: facts.formatProblems });
  }
  if (facts.signed !== undefined) {
    return passed("format", `A W3C VC 2.0 / Open Badges 3.0 micro-credential (format 2): an eddsa-rdfc-2022 signature and a ${ANCHOR_PROOF_TYPE_V2} proof.`, { id: facts.credential.id, formatVersion: 2 });
  }
  return passed("format", `A W3C VC 2.0 / Open Badges 3.0 micro-credential (format 1) with a ${PROOF_TYPE} proof.`, { id: facts.credential.id, formatVersion: 1 });
}
