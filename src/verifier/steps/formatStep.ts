import { PROOF_TYPE } from "../../credential/constants.ts";
import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { failed, passed } from "./stepHelpers.ts";

/** 1. The file is a credential of our format: VC 2.0 / Open Badges 3.0 shape, status entries, proof fields. */
export function formatStep(facts: CredentialFacts): VerificationStep {
  if (facts.credential === undefined) {
    const [first] = facts.formatProblems;
    const count = facts.formatProblems.length;
    return failed("format", `Not a credential of this format: ${count} problem${count === 1 ? "" : "s"}${first ? `, first ${first.path}: ${first.message}` : ""}.`, { problems: facts.formatProblems });
  }
  return passed("format", `A W3C VC 2.0 / Open Badges 3.0 micro-credential with a ${PROOF_TYPE} proof.`, { id: facts.credential.id });
}
