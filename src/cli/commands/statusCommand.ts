import { describeReason } from "../../chain/reasonCodes.ts";
import { signingKeySourceOfSigner } from "../../config/loadSigningKey.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { changeStatuses, parseIndices, parseReason, type StatusAction, targetsFromFiles } from "../../issuer/changeStatuses.ts";
import { writeStatusLists } from "../../issuer/writeStatusLists.ts";
import { signerFor, withChain, withSignerLock, withStoreOn } from "../chainSession.ts";
import { print } from "../cliOutput.ts";
import { crashCheckpoint } from "../crashCheckpoint.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { statusDirOf } from "../statusDirOf.ts";
import { requireAddress } from "../requireAddress.ts";

const PAST = { revoke: "Revoked", suspend: "Suspended", reinstate: "Reinstated" } as const;

/**
 * `credreg revoke|suspend|reinstate`: changes the status of credentials, given as credential files or as
 * `--batch <root> --index <i,j,k>` (an accreditor acting for a deactivated issuer adds `--for <issuer>`).
 */
export async function statusCommand(argv: string[], action: StatusAction): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { reason: { type: "string" }, batch: { type: "string" }, index: { type: "string" }, for: { type: "string" }, "status-dir": { type: "string" } });
  const output = { json: values.json === true };
  const reason = parseReason(str(values.reason));
  const forIssuer = str(values.for) === undefined ? undefined : requireAddress(str(values.for), "--for");
  const batchRoot = str(values.batch);
  if (batchRoot === undefined && positionals.length === 0) throw new InvalidInputError(`${action} needs credential files, or --batch <root> --index <i,j,k>.`);
  if (batchRoot !== undefined && positionals.length > 0) throw new InvalidInputError("Give credential files or --batch, not both.");
  if (batchRoot !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(batchRoot)) throw new InvalidInputError(`--batch ${batchRoot} is not a batch root.`, ["Give the 0x-prefixed 32-byte root (see credreg batches)."]);
  const indices = batchRoot === undefined ? [] : parseIndices(str(values.index));
  const config = resolveConfig(values);
  const result = await withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    const targets = batchRoot !== undefined ? [{ root: batchRoot.toLowerCase(), indices }] : await targetsFromFiles(positionals, chain, forIssuer ?? (await signer.getAddress()), forIssuer !== undefined);
    return withStoreOn(config, chain, (store) =>
      withSignerLock(store, chain, signer, async () => {
        const changed = await changeStatuses(chain, signer, store, action, targets, reason, config.confirmations, forIssuer, crashCheckpoint);
        // The issuer's own format 2 batches: their status list credentials, rewritten from the chain.
        const statusLists = forIssuer === undefined ? await writeStatusLists(chain, store, await signer.getAddress(), signingKeySourceOfSigner(signer), statusDirOf(values, config), targets.map((target) => target.root)) : [];
        return { ...changed, statusLists };
      }),
    );
  });
  const past = PAST[action];
  print(
    output,
    { ...result, reasonName: describeReason(reason).name },
    [
      ...result.alreadyDone.map(
        (done) => `Skipped ${done.indices.length} credential${done.indices.length === 1 ? "" : "s"} of batch ${done.root} already ${past.toLowerCase()} (an earlier run did ${done.indices.length === 1 ? "it" : "them"}).`,
      ),
      ...result.transactions.map((tx) => `${past} ${tx.indices.length} credential${tx.indices.length === 1 ? "" : "s"} of batch ${tx.root} (${describeReason(reason).name}) in transaction ${tx.hash} (block ${tx.blockNumber}).`),
      ...result.statusLists.map((list) => `Status list of batch ${list.root} rewritten (${list.revoked} revoked, block ${list.block}): ${list.file}; publish it at ${list.url}.`),
    ],
  );
}
