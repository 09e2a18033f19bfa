import { describeReason } from "../../chain/reasonCodes.ts";
import { signingKeySourceOfSigner } from "../../config/loadSigningKey.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { parseReason, revokeWholeBatch } from "../../issuer/changeStatuses.ts";
import { writeStatusLists } from "../../issuer/writeStatusLists.ts";
import { signerFor, withChain, withSignerLock, withStoreOn } from "../chainSession.ts";
import { print } from "../cliOutput.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { statusDirOf } from "../statusDirOf.ts";
import { requireAddress } from "../requireAddress.ts";

/** `credreg revoke-batch <root> --reason <code|name> [--for <issuer>]`: revokes a whole batch. */
export async function revokeBatchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { reason: { type: "string" }, for: { type: "string" }, "status-dir": { type: "string" } });
  const output = { json: values.json === true };
  const root = positionals[0];
  if (root === undefined) throw new InvalidInputError("revoke-batch needs the batch root.", ["Example: credreg revoke-batch 0x… --reason Superseded"]);
  const reason = parseReason(str(values.reason));
  const forIssuer = str(values.for) === undefined ? undefined : requireAddress(str(values.for), "--for");
  const config = resolveConfig(values);
  const result = await withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    return withStoreOn(config, chain, (store) =>
      withSignerLock(store, chain, signer, async () => {
        const revoked = await revokeWholeBatch(chain, signer, store, root, reason, config.confirmations, forIssuer);
        const statusLists = forIssuer === undefined ? await writeStatusLists(chain, store, await signer.getAddress(), signingKeySourceOfSigner(signer), statusDirOf(values, config), [root]) : [];
        return { ...revoked, statusLists };
      }),
    );
  });
  print(output, { ...result, reasonName: describeReason(reason).name }, [
    `Revoked batch ${root} (${describeReason(reason).name}) in transaction ${result.hash} (block ${result.blockNumber}).`,
    ...result.statusLists.map((list) => `Status list of batch ${list.root} rewritten (${list.revoked} revoked, block ${list.block}): ${list.file}; publish it at ${list.url}.`),
  ]);
}
