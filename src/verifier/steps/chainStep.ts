import type { CredentialFacts, VerificationStep } from "../verificationTypes.ts";
import { couldNotVerify, failed, passed } from "./stepHelpers.ts";

/** 8. The RPC serves the anchor's chain, and the registry the file names is a trusted one with code there. */
export function chainStep(facts: CredentialFacts): VerificationStep {
  const { anchor } = facts.credential!.proof;
  if (facts.rpc === undefined) return couldNotVerify("chain", "no JSON-RPC endpoint was given.");
  if (!facts.rpc.ok) return couldNotVerify("chain", facts.rpc.message);
  const served = `eip155:${facts.rpc.chainId}`;
  if (anchor.chainId !== served) {
    return failed("chain", `The credential was anchored on ${anchor.chainId}, but the RPC serves ${served}: check it against its own chain.`, { expected: anchor.chainId, served });
  }
  if (facts.registry === undefined || !facts.registry.trusted) {
    return failed("chain", `The registry ${anchor.registry} named by the credential is not one you trust (${facts.options.trustedRegistries.join(", ") || "none configured"}).`, { registry: anchor.registry, trusted: facts.options.trustedRegistries });
  }
  if (facts.registry.hasCode === false) return couldNotVerify("chain", `there is no contract at ${anchor.registry} on ${served}.`);
  const source = facts.options.trustSources?.[anchor.registry.toLowerCase()];
  return passed("chain", `${served}, registry ${anchor.registry} (trusted${source ? `: ${source}` : ""}).`, { chainId: served, registry: anchor.registry, trustSource: source ?? null });
}
