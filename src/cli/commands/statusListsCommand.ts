import { signingKeySourceOfSigner } from "../../config/loadSigningKey.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { writeStatusLists } from "../../issuer/writeStatusLists.ts";
import { signerFor, withChain, withSignerLock, withStoreOn } from "../chainSession.ts";
import { print } from "../cliOutput.ts";
import { parseCommandArgs } from "../parseCommandArgs.ts";
import { statusDirOf } from "../statusDirOf.ts";

/**
 * `credreg status-lists [--status-dir <dir>]`: rewrites the status list credential of every format 2 batch of the
 * issuer from the chain (after a crash between a status change and its list, or to publish them elsewhere).
 */
export async function statusListsCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { "status-dir": { type: "string" } });
  const output = { json: values.json === true };
  const config = resolveConfig(values);
  const statusLists = await withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    return withStoreOn(config, chain, (store) =>
      withSignerLock(store, chain, signer, async () => writeStatusLists(chain, store, await signer.getAddress(), signingKeySourceOfSigner(signer), statusDirOf(values, config))),
    );
  });
  print(output, { statusLists }, [
    statusLists.length === 0 ? "No format 2 batch of this issuer is anchored on this chain: no status list to write." : `${statusLists.length} status list${statusLists.length === 1 ? "" : "s"} written:`,
    ...statusLists.map((list) => `  ${list.file} (batch ${list.root}, ${list.revoked} revoked, block ${list.block}): publish at ${list.url}`),
  ]);
}
