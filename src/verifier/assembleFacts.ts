import { batchKeyOf, issuerKeyOf } from "./chainKeys.ts";
import type { ChainFacts } from "./gatherChainFacts.ts";
import type { ReadCredential } from "./readCredentialInput.ts";
import { componentAsAnchored } from "./readCredentialCore.ts";
import { componentPosition } from "./componentPositions.ts";
import type { Credential } from "../credential/credentialSchema.ts";
import type { CredentialFacts, SignatureCheck, VerifyOptions } from "./verificationTypes.ts";

/**
 * Everything the steps look at for the credential at `position`: what was read from its input, and what the chain
 * said about it (its registry, status, issuer, history and anchoring transaction).
 */
export function assembleFacts(read: ReadCredential, position: number, chain: ChainFacts, options: VerifyOptions, signature?: SignatureCheck): CredentialFacts {
  const credential = read.credential;
  const registryKey = credential?.proof.anchor.registry.toLowerCase();
  const trusted = registryKey !== undefined && options.trustedRegistries.some((address) => address.toLowerCase() === registryKey);
  return {
    ...read,
    at: chain.at,
    rpc: chain.rpc,
    registry: registryKey === undefined ? undefined : { trusted, hasCode: chain.codeAt.get(registryKey) },
    onChain: chain.onChain.get(position),
    issuer: credential === undefined ? undefined : chain.issuers.get(issuerKeyOf(credential)),
    history: chain.histories.get(position),
    anchorTransaction: credential === undefined ? undefined : chain.anchorTransactions.get(batchKeyOf(credential)),
    signature,
    signingKey: read.signed === undefined || registryKey === undefined ? undefined : chain.signingKeys.get(`${registryKey}:${read.signed.keyId.toLowerCase()}`),
    // A stacked credential's components: each as a credential of its own (its entry as its proof, its issuer profile).
    componentFacts: read.stacked?.components.map((component, index) => {
      const { evidence } = component;
      const asCredential = { id: evidence.id, issuer: { id: evidence.issuerProfile }, proof: componentAsAnchored(evidence).proof } as unknown as Credential;
      return assembleFacts({ credential: asCredential, formatProblems: [], hashes: component.hashes, hashError: component.hashError }, componentPosition(position, index), chain, options);
    }),
    options,
  };
}
