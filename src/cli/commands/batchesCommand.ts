import { indexedBatchStatusCounts } from "../../audit/batchStatusCounts.ts";
import { describeReason } from "../../chain/reasonCodes.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { signerFor, withChain, withStoreOn } from "../chainSession.ts";
import { print } from "../cliOutput.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { requireAddress } from "../requireAddress.ts";

/**
 * `credreg batches [--issuer <address>]`: the issuer's batches in the store with their on-chain records;
 * `credreg batch <root>`: one batch, with its counts of revoked and suspended credentials.
 */
export async function batchesCommand(argv: string[], command: "batches" | "batch"): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { issuer: { type: "string" } });
  const output = { json: values.json === true };
  const config = resolveConfig(values);
  const result = await withChain(config, async (chain) => {
    const issuer = str(values.issuer) !== undefined ? requireAddress(str(values.issuer), "--issuer") : await (await signerFor(config, chain)).getAddress();
    return withStoreOn(config, chain, async (store) => {
      const describe = async (root: string) => {
        const stored = store.findBatchByRoot(chain.chainId.toString(), chain.registryAddress, issuer, root);
        const onChain = await chain.registry.getFunction("batch")(issuer, root);
        // Exact, from the batch's events (the audit index in the store, brought up to date), whatever its size.
        const counts =
          command === "batch"
            ? await indexedBatchStatusCounts({ provider: chain.provider, storeFile: config.store, chainId: chain.chainId, genesisHash: chain.genesisHash, registry: chain.registryAddress, fromBlock: chain.fromBlock, confirmations: config.confirmations, issuer, root })
            : undefined;
        return {
          root,
          leafCount: stored?.leafCount ?? Number(onChain.leafCount),
          localState: stored?.state ?? null,
          outDir: stored?.outDir ?? null,
          transactionHash: stored?.txHash ?? null,
          anchored: onChain.anchoredAt !== 0n,
          anchoredAt: onChain.anchoredAt === 0n ? null : new Date(Number(onChain.anchoredAt) * 1000).toISOString(),
          anchoredBlock: onChain.anchoredAt === 0n ? null : Number(onChain.anchoredBlock),
          batchRevoked: onChain.revokedAt !== 0n,
          batchRevocationReason: onChain.revokedAt === 0n ? null : describeReason(onChain.revocationReason).name,
          ...(counts === undefined ? {} : { revoked: counts.revoked, suspended: counts.suspended }),
        };
      };
      if (command === "batch") {
        const root = positionals[0];
        if (root === undefined || !/^0x[0-9a-fA-F]{64}$/.test(root)) throw new InvalidInputError("batch needs a batch root.", ["Example: credreg batch 0x… (see credreg batches)"]);
        return { issuer, batches: [await describe(root.toLowerCase())] };
      }
      const batches = [];
      for (const stored of store.listBatches(chain.chainId.toString(), chain.registryAddress, issuer)) batches.push(await describe(stored.root));
      return { issuer, batches };
    });
  });
  const lines = result.batches.length === 0 ? [`No batch of ${result.issuer} in the store.`] : result.batches.map((batch) =>
    `${batch.root}  ${batch.leafCount} credentials  ${batch.anchored ? `anchored ${batch.anchoredAt} (block ${batch.anchoredBlock})` : "not anchored"}${batch.batchRevoked ? `  BATCH REVOKED (${batch.batchRevocationReason})` : ""}${"revoked" in batch ? `  revoked ${batch.revoked}, suspended ${batch.suspended}` : ""}  [store: ${batch.localState ?? "none"}]`,
  );
  print(output, command === "batch" ? result.batches[0] : result, lines);
}
