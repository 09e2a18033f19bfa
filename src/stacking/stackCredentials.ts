import type { Signer } from "ethers";
import { hashEmailIdentity } from "../credential/hashEmailIdentity.ts";
import type { RecipientInput } from "../credential/issuanceInputSchema.ts";
import { sniffBadgeImage } from "../credential/v2/badge/sniffBadgeImage.ts";
import { unbakeBadge } from "../credential/v2/badge/unbakeBadge.ts";
import type { ComponentEvidence } from "../credential/v2/componentEvidenceSchemaV2.ts";
import { BaseError } from "../errors/BaseError.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { type IssueOptions, type IssueResult, issueBatch } from "../issuer/issueBatch.ts";
import type { ChainContext } from "../chain/openChain.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";
import { type ReadCredential, readCredentialInput } from "../verifier/readCredentialInput.ts";
import type { VerificationResult } from "../verifier/verificationTypes.ts";
import { verifyCredentials } from "../verifier/verifyCredentials.ts";
import { componentClaimsOf, componentEvidenceOf } from "./componentEvidenceOf.ts";
import { evaluatePathwayRule, type RuleComponent } from "./evaluatePathwayRule.ts";
import type { Pathway } from "./pathwayFromValue.ts";

/** A component credential as given: where it came from (for messages) and its bytes (JSON, or a baked PNG/SVG). */
export type ComponentInput = { readonly source: string; readonly content: Uint8Array | string };

/** One holder to stack for: the identity the components must carry (a name and/or an e-mail), and the components. */
export type StackHolder = { readonly name?: string | undefined; readonly email?: string | undefined; readonly components: readonly ComponentInput[] };

export type StackOptions = Omit<IssueOptions, "input" | "achievement" | "pathway" | "formatVersion" | "skipInvalid" | "newBatch"> & {
  readonly pathway: Pathway;
  readonly holders: readonly StackHolder[];
};

export type StackResult = IssueResult & {
  /** Per holder (in the order given): the components counted, in the pathway's order. */
  readonly holders: readonly { readonly name: string | null; readonly components: readonly { readonly id: string; readonly name: string; readonly source: string }[] }[];
};

/** The credential text of a component file: a baked badge's credential, or the file itself. */
function credentialTextOf(content: Uint8Array | string): string | Uint8Array {
  const kind = typeof content === "string" ? (content.trimStart().startsWith("<") ? "svg" : "other") : sniffBadgeImage(content).kind;
  return kind === "other" ? content : unbakeBadge(content);
}

type Checked = { readonly input: ComponentInput; readonly read: ReadCredential; readonly result: VerificationResult };

/** Why a verified component cannot be stacked for `holder` (empty when it can): not valid now, or another holder's. */
function componentProblems(holder: StackHolder, { read, result }: Checked): string[] {
  if (result.status !== "valid") {
    const step = result.steps.find((candidate) => candidate.status === "failed") ?? result.steps.find((candidate) => candidate.details.couldNotVerify === true);
    return [`${result.status === "error" ? "could not be verified now" : "is not valid now"}${step === undefined ? "" : ` (${step.name}: ${step.message})`}`];
  }
  const identities = read.credential!.credentialSubject.identifier;
  const problems: string[] = [];
  if (holder.name !== undefined) {
    const names = identities.filter((identity) => identity.identityType === "name").map((identity) => identity.identityHash);
    if (!names.some((name) => name.normalize("NFC") === holder.name!.normalize("NFC"))) problems.push(`was issued to ${names.length === 0 ? "no named holder" : names.map((name) => JSON.stringify(name)).join(", ")}, not to ${JSON.stringify(holder.name)}`);
  }
  if (holder.email !== undefined) {
    const emails = identities.filter((identity) => identity.identityType === "emailAddress");
    if (!emails.some((identity) => "salt" in identity && hashEmailIdentity(holder.email!, identity.salt) === identity.identityHash)) problems.push(`was not issued to ${holder.email}`);
  }
  return problems;
}

/**
 * `credreg stack` (and `POST /v1/stacks`): for each holder, verifies every component credential against this chain
 * and registry (each must be valid now, with every step), checks that each was issued to the holder (the name and/or
 * e-mail given) and that the pathway's rule holds over them (every component matching an entry, once); then issues
 * one stacked credential per holder, in one anchored batch, with issueBatch's crash-safe flow (the same command
 * again finds the same batch). Any problem of any holder refuses the whole batch, naming every problem: nothing is
 * anchored.
 */
export async function stackCredentials(chain: ChainContext, signer: Signer, store: IssuerStore, options: StackOptions): Promise<StackResult> {
  const { pathway, holders } = options;
  if (holders.length === 0) throw new InvalidInputError("No holder to stack credentials for.", ["Give the holder's components (and --holder-name and/or --holder-email), or a holders file."]);
  const problems: string[] = [];
  holders.forEach((holder, index) => {
    const who = holders.length === 1 ? "The holder" : `Holder ${index + 1}`;
    if (holder.name === undefined && holder.email === undefined) problems.push(`${who}: needs a name and/or an e-mail address (the identity every component must carry).`);
    if (holder.components.length === 0) problems.push(`${who}: has no component credentials.`);
  });
  if (problems.length > 0) throw new InvalidInputError("The stacking request is incomplete; nothing was anchored.", problems);

  // Every component of every holder, read and verified in one bulk verification against this chain's registry only.
  const inputs = holders.flatMap((holder) => holder.components);
  const texts = inputs.map((input) => {
    try {
      return credentialTextOf(input.content);
    } catch (error) {
      problems.push(`${input.source}: ${error instanceof BaseError ? error.shortMessage : (error as Error).message}`);
      return "";
    }
  });
  if (problems.length > 0) throw new InvalidInputError("Some component files could not be read; nothing was anchored.", problems);
  const results = await verifyCredentials(texts, { provider: chain.provider, trustedRegistries: [chain.registryAddress], confirmations: options.confirmations });
  const checked: Checked[] = inputs.map((input, index) => ({ input, read: readCredentialInput(texts[index]!), result: results[index]! }));

  const recipients: RecipientInput[] = [];
  const counted: StackResult["holders"][number][] = [];
  let offset = 0;
  holders.forEach((holder, holderIndex) => {
    const mine = checked.slice(offset, offset + holder.components.length);
    offset += holder.components.length;
    const who = holders.length === 1 ? "" : `holder ${holderIndex + 1} (${holder.name ?? holder.email}): `;
    const before = problems.length;
    for (const entry of mine) for (const problem of componentProblems(holder, entry)) problems.push(`${who}${entry.input.source} ${problem}.`);
    const ids = new Map<string, string>();
    for (const entry of mine) {
      const id = entry.read.credential?.id;
      if (id === undefined) continue;
      if (ids.has(id)) problems.push(`${who}${entry.input.source} is the same credential as ${ids.get(id)} (${id}).`);
      ids.set(id, entry.input.source);
    }
    if (problems.length > before) return;
    const ruleComponents: (RuleComponent & { readonly entry: Checked })[] = mine.map((entry) => {
      const claims = componentClaimsOf(entry.read);
      return { id: entry.read.credential!.id, name: claims.name, achievement: claims.achievement, issuer: entry.read.credential!.proof.anchor.issuer, credits: claims.credits, eqfLevel: claims.eqfLevel, entry };
    });
    const outcome = evaluatePathwayRule(pathway.rule, ruleComponents);
    for (const component of outcome.unmatched) problems.push(`${who}${component.entry.input.source} (${component.name}, ${component.achievement}) matches no component of the pathway${pathway.rule.components.some((entry) => entry.achievement === component.achievement) ? " (not from the issuer the pathway names, or its achievement is given twice)" : ""}.`);
    for (const component of outcome.belowLevel) problems.push(`${who}${component.entry.input.source} (${component.name}) is EQF level ${component.eqfLevel ?? "unknown"}, below the pathway's minimum ${pathway.rule.minEqfLevel}.`);
    if (!outcome.satisfied) problems.push(`${who}the pathway's rule does not hold: ${outcome.shortfalls.join("; ")}.`);
    if (problems.length > before) return;
    const components: ComponentEvidence[] = outcome.counted.map((component) => componentEvidenceOf(component.entry.read));
    recipients.push({ ...(holder.name === undefined ? {} : { name: holder.name }), ...(holder.email === undefined ? {} : { email: holder.email }), components });
    counted.push({ name: holder.name ?? null, components: outcome.counted.map((component) => ({ id: component.id, name: component.name, source: component.entry.input.source })) });
  });
  if (problems.length > 0) throw new InvalidInputError(`The credentials cannot be stacked into ${pathway.qualification.name}; nothing was anchored.`, problems.slice(0, 100));

  const { pathway: _pathway, holders: _holders, ...issue } = options;
  const result = await issueBatch(chain, signer, store, { ...issue, input: { recipients }, achievement: { value: pathway.qualification }, pathway: pathway.rule, formatVersion: 2 });
  return { ...result, holders: counted };
}
