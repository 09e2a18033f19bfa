import type { Writable } from "node:stream";
import { getAddress, isAddress } from "ethers";
import { type AuditEvent, AuditIndex, type AuditFilter } from "../audit/AuditIndex.ts";
import { type AuditEntry, auditEntriesToCsv, auditEntriesToTable, toAuditEntry } from "../audit/auditTimeline.ts";
import { replayEvents, type SigningKeyState } from "../audit/auditState.ts";
import { type ComponentPlace, type ComponentTimeline, componentPlacesOf, stackedTimelineCsv, stackedTimelineTable } from "../audit/componentTimelines.ts";
import { consistencyReport } from "../audit/consistencyReport.ts";
import { indexRegistryEvents, type IndexReport } from "../audit/indexRegistryEvents.ts";
import { writeTimelineCsv } from "../audit/writeTimelineCsv.ts";
import { connectRpc } from "../chain/connectRpc.ts";
import { readDeployment, requireLiveDeployment } from "../chain/deployments.ts";
import { describeChainReset } from "../store/describeChainReset.ts";
import { describeReason } from "../chain/reasonCodes.ts";
import type { CredregConfig } from "../config/resolveConfig.ts";
import { validateAnchoredCredential } from "../credential/validateAnchoredCredential.ts";
import type { CredentialV2 } from "../credential/v2/credentialSchemaV2.ts";
import { signingKeyIdOf } from "../credential/v2/signingKeyIdOf.ts";
import { readStrictJsonFile } from "../fs/readStrictJsonFile.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";

export type AuditFormat = "table" | "json" | "csv";

export type AuditCommand = {
  readonly subject: string | undefined;
  readonly args: readonly string[];
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly at?: string | undefined;
  readonly format: AuditFormat;
  readonly reindex: boolean;
  readonly config: CredregConfig;
  /** Where a CSV timeline is streamed, row by row from the index, instead of being returned whole in `text`. */
  readonly csvOut?: Writable | undefined;
};

const USAGE = "credreg audit issuer <address> | batch <issuer> <root> | credential <file> | credential <issuer> <root> <index> | registry | report [<issuer>]";
const ROOT = /^0x[0-9a-fA-F]{64}$/;
const iso = (seconds: number | null) => (seconds === null ? null : `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`);

/** A signing key's replayed state as printed: times as UTC date-times, the reason by name. */
const shownKey = (key: SigningKeyState) => ({
  ...key,
  addedAt: iso(key.addedAt),
  retiredAt: iso(key.retiredAt),
  compromisedAt: iso(key.compromisedAt),
  revokedAt: iso(key.revokedAt),
  revocationReason: key.revocationReason === null ? null : describeReason(key.revocationReason).name,
});

/**
 * Whether a batch anchored at `anchoredAt` by `issuer` is validly signed by `key` as the history stands, by the
 * verifier's rules: bound to that issuer at or before the anchor, not retired before it, and not revoked as
 * compromised at or before it.
 */
const keyCoversAnchor = (key: SigningKeyState, issuer: string, anchoredAt: number) =>
  key.issuer === issuer && key.addedAt <= anchoredAt && (key.retiredAt === null || key.retiredAt >= anchoredAt) && (key.compromisedAt === null || anchoredAt < key.compromisedAt);

/** A credential's replayed state as printed: anchored (and within its batch), revoked (when), suspended, batch revoked. */
function credentialState(replayed: ReturnType<typeof replayEvents>, place: { issuer: string; root: string; leafIndex: number }) {
  const batch = replayed.batches.get(`${place.issuer}:${place.root}`);
  const c = replayed.credential(place.issuer, place.root, place.leafIndex);
  return { anchored: batch !== undefined, inRange: batch !== undefined && place.leafIndex < batch.leafCount, ...c, revokedAt: iso(c.revokedAt) };
}

/** Whether a component is anchored in the chain and registry audited (else its history is not in this index). */
const auditedHere = (component: ComponentPlace, chainId: string, registry: string) => component.chainId === `eip155:${chainId}` && component.registry === registry.toLowerCase();

/** A component as printed: its place, and `what` (its history or its state), `null` when it is anchored elsewhere. */
function componentShown<K extends string, T>(component: ComponentPlace, chainId: string, registry: string, key: K, what: () => T): ComponentPlace & Record<K, T | null> {
  return { ...component, [key]: auditedHere(component, chainId, registry) ? what() : null } as ComponentPlace & Record<K, T | null>;
}

function address(value: string | undefined, what: string): string {
  if (value === undefined || !isAddress(value)) throw new InvalidInputError(`${what} must be an address${value ? ` (got ${JSON.stringify(value)})` : ""}.`, [USAGE]);
  return getAddress(value).toLowerCase();
}

/** A `--from`/`--to`/`--at` value: a block number, or a date. */
function moment(value: string | undefined, flag: string): { block: number } | { time: number } | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return { block: Number(value) };
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InvalidInputError(`${flag} ${value} is neither a block number nor a date.`, [`Give e.g. ${flag} 2026-09-01T00:00:00Z or ${flag} 1234.`]);
  return { time: Math.floor(time / 1000) };
}

/** A stacked credential's file (format v2, with components): how its own history is headed, and its components. */
type StackedSubject = { readonly heading: string; readonly components: readonly ComponentPlace[] };

/** What to show: the filter of the index, and for a credential its index in the batch (and a stacked one's components). */
async function subjectFilter(command: AuditCommand): Promise<{ filter: AuditFilter; scope: Record<string, unknown>; stacked?: StackedSubject | undefined }> {
  const [first, second, third] = command.args;
  switch (command.subject) {
    case "issuer": {
      const issuer = address(first, "The issuer");
      return { filter: { issuer }, scope: { issuer } };
    }
    case "batch": {
      const issuer = address(first, "The issuer");
      if (second === undefined || !ROOT.test(second)) throw new InvalidInputError("audit batch needs the batch root after the issuer.", [USAGE]);
      return { filter: { issuer, root: second.toLowerCase() }, scope: { issuer, root: second.toLowerCase() } };
    }
    case "credential": {
      if (second === undefined) {
        if (first === undefined) throw new InvalidInputError("audit credential needs a credential file, or issuer, root and index.", [USAGE]);
        const value = await readStrictJsonFile(first, "The credential file", "Give the path of a credential file.");
        const validation = validateAnchoredCredential(value);
        if (!validation.ok) throw new InvalidInputError(`${first} is not a valid credential file.`, validation.problems.slice(0, 10).map((problem) => `${problem.path}: ${problem.message}`));
        const { anchor, merkleRoot, leafIndex, formatVersion } = validation.value;
        // Format v2: the history of the key that signed it too (its binding, retirement, revocation).
        const verificationMethod = formatVersion === 2 ? (value as { proof: { verificationMethod: string }[] }).proof[0]!.verificationMethod : undefined;
        const signingKey = verificationMethod === undefined ? undefined : signingKeyIdOf(verificationMethod);
        const place = { issuer: anchor.issuer.toLowerCase(), root: merkleRoot.toLowerCase(), leafIndex };
        // A stacked credential: each component's history too, found by (issuer, root, index) from its evidence entry.
        const components = formatVersion === 2 ? componentPlacesOf(value as CredentialV2) : [];
        const { id, credentialSubject } = value as CredentialV2;
        const stacked = components.length === 0 ? undefined : { heading: `Stacked credential: ${credentialSubject.achievement.name} (${id}), issuer ${place.issuer}, batch ${place.root}, index ${leafIndex}`, components };
        return { filter: { ...place, signingKey }, scope: signingKey === undefined ? place : { ...place, signingKey }, stacked };
      }
      const issuer = address(first, "The issuer");
      if (!ROOT.test(second) || third === undefined || !/^\d+$/.test(third)) throw new InvalidInputError("audit credential <issuer> <root> <index> needs a root and a leaf index.", [USAGE]);
      return { filter: { issuer, root: second.toLowerCase(), leafIndex: Number(third) }, scope: { issuer, root: second.toLowerCase(), leafIndex: Number(third) } };
    }
    case "registry":
      return { filter: {}, scope: { registry: true } };
    case "report":
      return { filter: first === undefined ? {} : { issuer: address(first, "The issuer") }, scope: first === undefined ? { registry: true } : { issuer: address(first, "The issuer") } };
    default:
      throw new InvalidInputError(command.subject === undefined ? "audit needs a subject." : `Unknown audit subject "${command.subject}".`, [USAGE]);
  }
}

/** What to print; `streamed` when the CSV timeline was already written to `csvOut` (then `text` is empty). */
export type AuditOutput = { readonly document: unknown; readonly text: string; readonly streamed?: boolean };

/**
 * `credreg audit`: brings the audit index up to date from the chain's events (incrementally), then prints a timeline,
 * the state at a moment (`--at`), or the consistency report, as a table, JSON or CSV.
 */
export async function runAudit(command: AuditCommand): Promise<AuditOutput> {
  const { filter, scope, stacked } = await subjectFilter(command);
  const from = moment(command.from, "--from");
  const to = moment(command.to, "--to");
  const at = moment(command.at, "--at");
  const { provider, chainId } = await connectRpc(command.config.rpcUrl, { timeoutMs: 10_000 });
  const index = AuditIndex.open(command.config.store);
  try {
    let registry = command.config.registry;
    let fromBlock = 0;
    if (registry === undefined) {
      const deployment = await readDeployment(chainId, command.config.deploymentsDir);
      await requireLiveDeployment(deployment, provider, command.config.deploymentsDir);
      registry = deployment.address;
      fromBlock = deployment.blockNumber;
    }
    const genesis = await provider.getBlock(0);
    const reset = genesis?.hash ? index.useChain(chainId.toString(), genesis.hash) : undefined;
    if (reset !== undefined) process.stderr.write(`credreg: ${describeChainReset(reset)}\n`);
    if (command.reindex) index.reset(chainId.toString(), registry);
    const indexed: IndexReport = await indexRegistryEvents({ provider, index, chainId, registry, fromBlock, confirmations: command.config.confirmations });
    const key = chainId.toString();
    const base = { chainId: key, registry: getAddress(registry), indexed, ...scope };

    if (command.subject === "report") {
      const report = consistencyReport(index.events(key, registry), filter.issuer);
      const lines = [
        `Consistency report for ${report.scope === "registry" ? `the registry ${getAddress(registry)}` : report.scope} (chain ${key}): ${report.consistent ? "CONSISTENT" : "NOT CONSISTENT"}.`,
        `${report.batches.length} batches; status changes by others than the batch's issuer: ${report.foreignChanges.length}; changes after deactivation: ${report.changesAfterDeactivation.length}; accreditor interventions: ${report.accreditorInterventions.length}; sent by another account than the actor: ${report.senderDiffersFromActor.length}.`,
        "",
        ...report.batches.map((batch) => `${batch.root}  issuer ${batch.issuer}  ${batch.leafCount} credentials  anchored ${batch.anchoredAt}  revoked ${batch.revoked}  suspended ${batch.suspended}${batch.batchRevoked ? "  BATCH REVOKED" : ""}`),
      ];
      for (const [title, entries] of [["Status changes by others than the batch's issuer", report.foreignChanges], ["Changes after deactivation", report.changesAfterDeactivation]] as const) {
        if (entries.length > 0) lines.push("", `${title}:`, auditEntriesToTable(entries));
      }
      const csv = auditEntriesToCsv([...report.foreignChanges, ...report.changesAfterDeactivation]);
      return { document: { ...base, report }, text: command.format === "csv" ? csv : lines.join("\n") };
    }

    const atFilter = at === undefined ? {} : "block" in at ? { toBlock: at.block } : { toTime: at.time };
    if (at !== undefined) {
      // The state at a moment: replay every event of the subject up to it.
      const upTo = index.events(key, registry, { ...filter, ...atFilter });
      const { issuers, batches, credential, signingKeys } = replayEvents(upTo);
      let state: unknown;
      if (command.subject === "credential" && filter.leafIndex !== undefined) {
        const batch = batches.get(`${filter.issuer}:${filter.root}`);
        const key = filter.signingKey === undefined ? undefined : signingKeys.get(filter.signingKey);
        const signing =
          filter.signingKey === undefined
            ? {}
            : {
                signingKey: key === undefined ? { key: filter.signingKey, bound: false } : { bound: true, ...shownKey(key) },
                signingKeyCoversAnchor: batch !== undefined && key !== undefined && keyCoversAnchor(key, filter.issuer!, batch.anchoredAt),
              };
        state = { ...credentialState({ issuers, batches, credential, signingKeys }, { issuer: filter.issuer!, root: filter.root!, leafIndex: filter.leafIndex }), ...signing };
      } else if (command.subject === "batch") {
        const batch = batches.get(`${filter.issuer}:${filter.root}`);
        state = batch === undefined ? { anchored: false } : { anchored: true, ...batch, anchoredAt: iso(batch.anchoredAt), revokedAt: iso(batch.revokedAt), revocationReason: batch.revocationReason === null ? null : describeReason(batch.revocationReason).name };
      } else if (command.subject === "issuer") {
        const issuer = issuers.get(filter.issuer!);
        state = issuer === undefined ? { accredited: false } : { accredited: issuer.accreditedAt !== null, ...issuer, accreditedAt: iso(issuer.accreditedAt), deactivatedAt: iso(issuer.deactivatedAt), deactivationReason: issuer.deactivationReason === null ? null : describeReason(issuer.deactivationReason).name, batches: [...batches.values()].filter((batch) => batch.issuer === filter.issuer).map((batch) => ({ ...batch, anchoredAt: iso(batch.anchoredAt), revokedAt: iso(batch.revokedAt) })), signingKeys: [...signingKeys.values()].filter((key) => key.issuer === filter.issuer).map(shownKey) };
      } else {
        state = { issuers: [...issuers.values()].map((issuer) => ({ ...issuer, accreditedAt: iso(issuer.accreditedAt), deactivatedAt: iso(issuer.deactivatedAt) })), batches: [...batches.values()].map((batch) => ({ ...batch, anchoredAt: iso(batch.anchoredAt), revokedAt: iso(batch.revokedAt) })), signingKeys: [...signingKeys.values()].map(shownKey) };
      }
      const when = "block" in at ? `block ${at.block}` : iso(at.time);
      if (stacked !== undefined) {
        // Each component's state at the same moment, from its own events (as for its (issuer, root, index)).
        const components = stacked.components.map((component) =>
          componentShown(component, key, registry!, "state", () => credentialState(replayEvents(index.events(key, registry!, { issuer: component.issuer, root: component.root, leafIndex: component.leafIndex, ...atFilter })), component)),
        );
        const shown = { state, components };
        return { document: { ...base, at: when, ...shown }, text: command.format === "json" ? JSON.stringify(shown) : `State at ${when}:\n${JSON.stringify(shown, null, 2)}` };
      }
      return { document: { ...base, at: when, state }, text: command.format === "json" ? JSON.stringify(state) : `State at ${when}:\n${JSON.stringify(state, null, 2)}` };
    }

    const range: AuditFilter = {
      ...(from === undefined ? {} : "block" in from ? { fromBlock: from.block } : { fromTime: from.time }),
      ...(to === undefined ? {} : "block" in to ? { toBlock: to.block } : { toTime: to.time }),
    };
    if (stacked !== undefined) {
      // A stacked credential: its own history, then each component's (the entries of its (issuer, root, index)).
      const entriesOf = (events: AuditEvent[]) => events.map(toAuditEntry);
      const entries = entriesOf(index.events(key, registry, { ...filter, ...range }));
      const components: ComponentTimeline[] = stacked.components.map((component) =>
        componentShown(component, key, registry!, "entries", () => entriesOf(index.events(key, registry!, { issuer: component.issuer, root: component.root, leafIndex: component.leafIndex, ...range }))),
      );
      const text = command.format === "csv" ? stackedTimelineCsv(entries, components) : stackedTimelineTable({ heading: stacked.heading, entries }, components);
      return { document: { ...base, entries, components }, text };
    }
    if (command.format === "csv" && command.csvOut !== undefined) {
      await writeTimelineCsv(command.csvOut, (after, limit) => index.page(key, registry!, { ...filter, ...range }, limit, after));
      return { document: base, text: "", streamed: true };
    }
    const entries: AuditEntry[] = index.events(key, registry, { ...filter, ...range }).map(toAuditEntry);
    const text = command.format === "csv" ? auditEntriesToCsv(entries) : entries.length === 0 ? "No event." : auditEntriesToTable(entries);
    return { document: { ...base, entries }, text };
  } finally {
    index.close();
    provider.destroy();
  }
}
