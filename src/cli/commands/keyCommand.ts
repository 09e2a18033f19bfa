import { describeReason } from "../../chain/reasonCodes.ts";
import { signingKeySourceOfSigner } from "../../config/loadSigningKey.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { parseReason } from "../../issuer/changeStatuses.ts";
import { signerFor, withChain, withSignerLock, withStoreOn } from "../chainSession.ts";
import { print } from "../cliOutput.ts";
import { crashCheckpoint } from "../crashCheckpoint.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import {
  listSigningKeys,
  parseCompromiseTime,
  parseGeneration,
  parseKey,
  retireSigningKey,
  revokeSigningKey,
  type SigningKeyChange,
  type SigningKeyEntry,
} from "../../issuer/signingKeyActions.ts";

const USAGE = "credreg key list | key retire [--generation <n> | --key <did:key>] [--force] | key revoke --compromised-since <date-time> [--reason <code|name>] [--generation <n> | --key <did:key>]";

/** The reason of a key revocation when none is given: 4 KeyCompromise. */
const DEFAULT_REASON = "KeyCompromise";

const STATE_TEXT: Record<SigningKeyEntry["state"], string> = {
  "in-use": "in use",
  retired: "retired",
  revoked: "revoked",
  "not-bound": "not bound",
  "bound-to-another-issuer": "bound to another issuer",
};

/** One key as a line: generation, state, did, then its times. */
function keyLine(entry: SigningKeyEntry, inUse: number | null): string {
  const times = [
    entry.addedAt && `bound ${entry.addedAt}`,
    entry.retiredAt && `retired ${entry.retiredAt}`,
    entry.revokedAt && `revoked ${entry.revokedAt} (${entry.reasonName}), compromised since ${entry.compromisedAt}`,
    entry.state === "bound-to-another-issuer" && `to ${entry.boundTo}`,
    entry.state === "not-bound" && (inUse === null ? "the next credreg issue binds it" : `bound by the first issue after generation ${inUse} is retired or revoked`),
  ].filter((part): part is string => typeof part === "string");
  return `${entry.generation === null ? "key" : `generation ${entry.generation}`}  ${STATE_TEXT[entry.state]}  ${entry.did}  ${times.join(", ")}`.trimEnd();
}

/** The line saying what a retirement or revocation did. */
function changeLine(verb: string, change: SigningKeyChange): string {
  const key = change.signingKey;
  const which = key.generation === null ? `signing key ${key.did}` : `signing key generation ${key.generation} (${key.did})`;
  const by = change.resumed ? `transaction ${change.transactionHash}, sent by an earlier run (block ${change.blockNumber})` : `transaction ${change.transactionHash} (block ${change.blockNumber})`;
  return `${verb} ${which} in ${by}.`;
}

/**
 * `credreg key list | retire | revoke`: the issuer's format 2 signing keys and their records in the registry's key
 * registry; retires the key in use (the next issue binds the next generation), or revokes one as compromised since a
 * time. Sends are recorded in the store before they are broadcast and made under the issuer lock.
 */
export async function keyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    generation: { type: "string" },
    key: { type: "string" },
    "compromised-since": { type: "string" },
    reason: { type: "string" },
    force: { type: "boolean" },
  });
  const output = { json: values.json === true };
  const [action, ...extra] = positionals;
  if (action !== "list" && action !== "retire" && action !== "revoke") {
    throw new InvalidInputError(action === undefined ? "key needs an action: list, retire or revoke." : `Unknown key action "${action}".`, [USAGE]);
  }
  if (extra.length > 0) throw new InvalidInputError(`key ${action} takes no argument ${JSON.stringify(extra[0])}.`, [USAGE]);
  const allowed = { list: [], retire: ["generation", "key", "force"], revoke: ["generation", "key", "compromised-since", "reason"] }[action] as string[];
  for (const option of ["generation", "key", "compromised-since", "reason", "force"]) {
    if (values[option] !== undefined && !allowed.includes(option)) throw new InvalidInputError(`key ${action} does not take --${option}.`, [USAGE]);
  }
  const choice = { generation: parseGeneration(str(values.generation)), key: parseKey(str(values.key)) };
  // Checked before anything is read from the chain: a mistake in the flags costs no RPC call.
  const compromisedAt = action === "revoke" ? parseCompromiseTime(str(values["compromised-since"])) : 0;
  const reason = action === "revoke" ? parseReason(str(values.reason) ?? DEFAULT_REASON) : 0;
  const config = resolveConfig(values);

  await withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    const issuer = await signer.getAddress();
    const base = { chainId: chain.chainId.toString(), registry: chain.registryAddress, issuer };
    if (action === "list") {
      const list = await listSigningKeys(chain, issuer, signingKeySourceOfSigner(signer));
      const from = list.source === "explicit" ? "CREDREG_SIGNING_KEY" : "derived from the issuer's key";
      print(output, { ...base, ...list }, [`Signing keys of ${issuer} (${from}) in the key registry ${list.keyRegistry}:`, ...list.keys.map((entry) => `  ${keyLine(entry, list.inUse)}`)]);
      return;
    }
    // A key named by --key needs no signing key of the signer's own (an accreditor revoking an issuer's key).
    const source = choice.key === undefined ? signingKeySourceOfSigner(signer) : undefined;
    const options = { confirmations: config.confirmations, checkpoint: crashCheckpoint };
    const change = await withStoreOn(config, chain, (store) =>
      withSignerLock(store, chain, signer, () =>
        action === "retire"
          ? retireSigningKey(chain, signer, store, source, choice, { ...options, force: values.force === true })
          : revokeSigningKey(chain, signer, store, source, choice, compromisedAt, reason, options),
      ),
    );
    // What the next issue signs with (the derived keys only: a retired or revoked CREDREG_SIGNING_KEY must be replaced).
    const after = source?.kind === "derived" ? await listSigningKeys(chain, issuer, source) : undefined;
    const nextKey = after === undefined ? undefined : (after.keys.find((entry) => entry.state === "in-use") ?? after.keys.at(-1));
    const next = nextKey === undefined || (nextKey.state !== "in-use" && nextKey.state !== "not-bound") ? null : { generation: nextKey.generation, did: nextKey.did, bound: nextKey.state === "in-use" };
    const lines = [changeLine(action === "retire" ? "Retired" : "Revoked", change)];
    if (action === "revoke") lines.push(`Credentials it signed that were anchored at or after ${change.signingKey.compromisedAt} no longer verify (${describeReason(reason).name}).`);
    if (next !== null) lines.push(next.bound ? `New credentials are signed by generation ${next.generation} (${next.did}), already bound.` : `The next credreg issue binds generation ${next.generation} (${next.did}) and signs with it.`);
    else if (source?.kind === "explicit") lines.push("Set CREDREG_SIGNING_KEY to a new random seed (e.g. `openssl rand -hex 32`) before the next credreg issue.");
    const document = { chainId: base.chainId, registry: base.registry, signer: issuer, issuer: change.signingKey.boundTo, action, ...change, ...(action === "revoke" ? { reason, reasonName: describeReason(reason).name } : {}), next };
    print(output, document, lines);
  });
}
