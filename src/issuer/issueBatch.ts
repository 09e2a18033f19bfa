import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Signer } from "ethers";
import { attachProof } from "../batch/attachProof.ts";
import { writeBatchFile } from "../batch/batchFile.ts";
import { buildBatch } from "../batch/buildBatch.ts";
import { buildBatchFromRecipients } from "../batch/buildBatchFromRecipients.ts";
import type { CredentialBatch } from "../batch/credentialBatch.ts";
import { buildUnsignedCredential, type CredentialTemplate, nowAsDateTime } from "../credential/buildUnsignedCredential.ts";
import type { Anchor, Credential, UnsignedCredential } from "../credential/credentialSchema.ts";
import { achievementInputSchema, type AchievementInput, type RecipientInput } from "../credential/issuanceInputSchema.ts";
import { validateWith } from "../credential/validateCredential.ts";
import { readStrictJsonFile } from "../fs/readStrictJsonFile.ts";
import { readAnchorTransaction } from "../chain/registryReads.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { removeStaleTemporaryFiles } from "../fs/removeStaleTemporaryFiles.ts";
import { syncFileSystem, writeFileAtomically, writeLinesAtomically } from "../fs/writeAtomically.ts";
import { StoreError } from "../errors/storeErrors.ts";
import { registryInterface } from "../chain/registryContract.ts";
import type { IssuerStore, StoredBatch } from "../store/IssuerStore.ts";
import { withIssuerLock } from "../store/withIssuerLock.ts";
import { type ChainContext, requireActiveIssuer } from "./openChain.ts";
import { readRecipients, recipientsFromValues, type RejectedRow } from "./readRecipients.ts";
import { signRecordAndBroadcast, waitRecorded } from "./sendRecordedTransaction.ts";

export type OutputFormat = "files" | "ndjson" | "both";

export type IssueOptions = {
  /** The recipients file (.csv or .json), or the recipients themselves (an API request). */
  readonly input: string | { readonly recipients: readonly unknown[] };
  /** The achievement file (.json), or the achievement itself. */
  readonly achievement: string | { readonly value: unknown };
  readonly outDir: string;
  readonly confirmations: number;
  readonly skipInvalid?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
  /** `files`: one JSON file per credential (default); `ndjson`: one credentials.ndjson; `both`. */
  readonly format?: OutputFormat | undefined;
  readonly validFrom?: string | undefined;
  readonly validUntil?: string | undefined;
  /** Build a new batch even if the same inputs were issued before. */
  readonly newBatch?: boolean | undefined;
  /** Progress of long steps (for a progress bar). */
  readonly progress?: ((step: string, done: number, total: number) => void) | undefined;
  /** Crash-injection points for tests: "before-send", "after-send", "after-receipt", "during-files". */
  readonly checkpoint?: ((point: string) => void) | undefined;
};

export type IssueResult = {
  readonly status: "issued" | "resumed" | "already-issued" | "dry-run";
  readonly chainId: string;
  readonly registry: string;
  readonly issuer: string;
  readonly issuerProfileId: string;
  readonly root: string;
  readonly leafCount: number;
  readonly rejectedRows: number;
  readonly rejectedFile: string | null;
  readonly transactionHash: string | null;
  readonly blockNumber: number | null;
  readonly anchoredAt: string | null;
  readonly gasUsed: string | null;
  readonly outDir: string;
  readonly batchFile: string | null;
  readonly credentialFiles: number;
  readonly ndjsonFile: string | null;
  /** Dry runs only: the anchoring transaction's gas and its fee at current prices. */
  readonly estimate: { readonly gas: string; readonly maxFeePerGas: string; readonly fee: string } | null;
  readonly timings: Readonly<Record<string, number>>;
};

/** How a rejected row reads in an error and in the rejected-rows file. */
export function describeRejected(rows: readonly RejectedRow[]): string[] {
  return rows.flatMap((row) => row.problems.map((problem) => `${row.where}: ${problem.path === "$" ? "" : `${problem.path.slice(2)}: `}${problem.message}`));
}

/** The file a credential is written to: named by the recipient's row (CSV line or JSON position), padded. */
function credentialFileName(rowPosition: number): string {
  return `credential-${String(rowPosition).padStart(6, "0")}.json`;
}

type Prepared = {
  readonly stored: StoredBatch;
  readonly batch: CredentialBatch;
  credential(index: number): UnsignedCredential;
  /** The row position (CSV line, JSON index) of leaf `index`. */
  rowOf(index: number): number;
};

/** Rebuilds a stored batch exactly (same credentials, same salts, same root) from the store alone. */
function rebuildFromStore(store: IssuerStore, stored: StoredBatch): Prepared {
  const template = stored.template as CredentialTemplate;
  const rows = store.credentials(stored.id);
  const credentials = rows.map((row) => buildUnsignedCredential(template, row.recipient as RecipientInput, row.leafIndex, { id: row.credentialId, emailSalt: row.emailSalt }));
  const batch = buildBatch(credentials, { validate: false, salt: (index) => Buffer.from(rows[index]!.salt.slice(2), "hex") });
  if (batch.root !== stored.root) {
    throw new StoreError(`The store's batch ${stored.root} does not rebuild to its root (got ${batch.root}).`, { metaMessages: ["The store was altered; restore it from a backup."] });
  }
  return { stored, batch, credential: (index) => credentials[index]!, rowOf: (index) => rows[index]!.inputIndex };
}

/**
 * `credreg issue`: validate every row, build and hash the credentials, commit the batch to the store (write-ahead),
 * anchor its root (signed transaction recorded before it is sent), wait for the confirmations, then write every
 * credential file and the batch file atomically. Re-running the same command after a crash at any point finishes the
 * same batch: it never sends a second anchor and writes the same files.
 */
export async function issueBatch(chain: ChainContext, signer: Signer, store: IssuerStore, options: IssueOptions): Promise<IssueResult> {
  const timings: Record<string, number> = {};
  const time = async <T>(step: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[step] = Math.round(performance.now() - started);
    }
  };
  const checkpoint = options.checkpoint ?? (() => {});
  const format = options.format ?? "files";
  const issuerAddress = await signer.getAddress();
  const chainId = chain.chainId.toString();
  const outDir = path.resolve(options.outDir);

  // The store keeps each chain (id and genesis) apart: a reset chain's batches are never resumed on this one.
  store.useChain(chainId, chain.genesisHash);
  const profile = await requireActiveIssuer(chain, issuerAddress);
  const achievementName = typeof options.achievement === "string" ? options.achievement : "The achievement";
  const inputName = typeof options.input === "string" ? options.input : "the request";
  let achievement: AchievementInput;
  try {
    const value: unknown = typeof options.achievement === "string" ? await readStrictJsonFile(options.achievement, "The achievement file", "Give a JSON achievement like examples/achievement.json.") : options.achievement.value;
    const parsed = validateWith<AchievementInput>(achievementInputSchema, value);
    if (!parsed.ok) {
      throw new InvalidInputError(`${achievementName} is not a valid achievement.`, parsed.problems.map((problem) => `${problem.path}: ${problem.message}`));
    }
    achievement = parsed.value;
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`Cannot read the achievement file ${achievementName}: ${(error as Error).message}.`, ["Give a JSON achievement file with --achievement (see examples/achievement.json)."]);
  }
  const input = options.input;
  const { valid, rejected } = await time("read and validate", () => (typeof input === "string" ? readRecipients(input) : recipientsFromValues(input.recipients)));
  if (rejected.length > 0 && !options.skipInvalid) {
    throw new InvalidInputError(`${rejected.length} of ${valid.length + rejected.length} rows of ${inputName} are not valid; nothing was anchored.`, [
      ...describeRejected(rejected).slice(0, 100),
      ...(rejected.length > 100 ? [`... and more: fix these first.`] : []),
      "Fix the rows, or pass --skip-invalid to issue the valid rows and write the rejected ones to a file.",
    ]);
  }
  if (valid.length === 0) throw new InvalidInputError(`No row of ${inputName} is valid; nothing was anchored.`, describeRejected(rejected).slice(0, 100));
  for (const value of [options.validFrom, options.validUntil]) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
      throw new InvalidInputError(`${value} is not a date-time with a time zone.`, ["Write --valid-from / --valid-until like 2026-09-01T00:00:00Z."]);
    }
  }

  await mkdir(outDir, { recursive: true });
  let rejectedFile: string | null = null;
  if (rejected.length > 0) {
    rejectedFile = path.join(outDir, "rejected-rows.json");
    await writeFileAtomically(rejectedFile, `${JSON.stringify(rejected.map((row) => ({ where: row.where, row: row.raw, problems: row.problems })), null, 2)}\n`);
  }

  // The same command (same rows, achievement, issuer, registry, options) finds its batch again after a crash.
  const inputDigest = createHash("sha256")
    .update(JSON.stringify({ recipients: valid.map((entry) => entry.row.raw), achievement, profile: [profile.profileId, profile.name], chainId, registry: chain.registryAddress.toLowerCase(), validFrom: options.validFrom ?? null, validUntil: options.validUntil ?? null }))
    .digest("hex");
  // One process at a time per (chain, issuer), from the look-up of the batch to its files: a second process given the
  // same inputs waits for the first, then finds the same batch; the account's nonces are never raced.
  const lockKey = { storeFile: store.file, chainId, genesisHash: chain.genesisHash, issuer: issuerAddress };
  return options.dryRun ? finish() : withIssuerLock(lockKey, finish);

  async function finish(): Promise<IssueResult> {
    const previous = options.newBatch || options.dryRun ? undefined : store.findBatchByDigest(chainId, chain.registryAddress, issuerAddress, inputDigest);

    let prepared: Prepared;
    const status: IssueResult["status"] = previous === undefined ? "issued" : previous.state === "written" ? "already-issued" : "resumed";
    if (previous !== undefined) {
      prepared = await time("rebuild from store", () => rebuildFromStore(store, previous));
    } else {
      const template: CredentialTemplate = {
        issuer: { id: profile.profileId, name: profile.name },
        achievement,
        registry: { chainId, address: chain.registryAddress },
        validFrom: options.validFrom ?? nowAsDateTime(),
        ...(options.validUntil === undefined ? {} : { validUntil: options.validUntil }),
      };
      const recipients = valid.map((entry) => entry.recipient);
      const batch = await time("build and hash", () => buildBatchFromRecipients(template, recipients));
      const rowOf = (index: number) => valid[batch.inputIndex(index)]!.row.position;
      if (options.dryRun) {
        const gas = await chain.provider.estimateGas({ from: issuerAddress, to: chain.registryAddress, data: registryInterface.encodeFunctionData("anchorBatch", [batch.root, batch.leafCount]) });
        const fees = await chain.provider.getFeeData();
        const maxFeePerGas = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
        return {
          status: "dry-run",
          chainId,
          registry: chain.registryAddress,
          issuer: issuerAddress,
          issuerProfileId: profile.profileId,
          root: batch.root,
          leafCount: batch.leafCount,
          rejectedRows: rejected.length,
          rejectedFile,
          transactionHash: null,
          blockNumber: null,
          anchoredAt: null,
          gasUsed: null,
          outDir,
          batchFile: null,
          credentialFiles: 0,
          ndjsonFile: null,
          estimate: { gas: gas.toString(), maxFeePerGas: maxFeePerGas.toString(), fee: (gas * maxFeePerGas).toString() },
          timings,
        };
      }
      const stored = await time("commit to store", () =>
        store.insertPreparedBatch(
          { chainId, registry: chain.registryAddress, issuer: issuerAddress, root: batch.root, leafCount: batch.leafCount, inputDigest, template, outDir, outputFormat: format },
          (function* () {
            for (let index = 0; index < batch.leafCount; index += 1) {
              const randomness = batch.randomness(index);
              yield {
                leafIndex: index,
                inputIndex: rowOf(index),
                recipient: valid[batch.inputIndex(index)]!.recipient,
                credentialId: randomness.id,
                emailSalt: randomness.emailSalt,
                salt: batch.salt(index),
                contentHash: batch.contentHash(index),
                credentialHash: batch.credentialHash(index),
              };
            }
          })(),
        ),
      );
      prepared = { stored, batch, credential: (index) => batch.credential(index), rowOf };
    }
    checkpoint("before-send");

    // Anchor, at most once.
    let current = store.getBatch(prepared.stored.id);
    let gasUsed: string | null = null;
    if (current.state !== "anchored" && current.state !== "written") {
      await time("anchor", async () => {
        const onChain = await chain.registry.getFunction("batch")(issuerAddress, current.root);
        let anchorHash: string | null = null;
        if (onChain.anchoredAt !== 0n) {
          // Sent before a crash and mined: find the transaction (recorded, else from the BatchAnchored log).
          anchorHash = current.txHash;
          if (anchorHash === null) {
            // The registry records the anchor's block: one single-block log read, never a scan from the deployment.
            anchorHash = await readAnchorTransaction(chain.provider, chain.registryAddress, issuerAddress, current.root, Number(onChain.anchoredBlock));
          }
          if (anchorHash === null) throw new StoreError(`Batch ${current.root} is anchored on chain but its transaction cannot be found.`);
        } else if (current.state === "signed" && current.txHash !== null && current.rawTx !== null) {
          // Signed and recorded before a crash, not (yet) mined: wait for it, or send the very same bytes again.
          const pending = await chain.provider.getTransaction(current.txHash);
          if (pending === null) {
            const nonce = await chain.provider.getTransactionCount(issuerAddress, "pending");
            if (current.nonce !== null && nonce > current.nonce) {
              store.markTransaction(current.txHash, "failed", null);
              store.resetToPrepared(current.id, "the recorded transaction was replaced by another one with the same nonce");
            } else {
              await chain.provider.broadcastTransaction(current.rawTx);
              anchorHash = current.txHash;
            }
          } else {
            anchorHash = current.txHash;
          }
          current = store.getBatch(current.id);
        }
        if (anchorHash === null) {
          const sent = await signRecordAndBroadcast({
            chain,
            signer,
            store,
            kind: "anchor",
            batchId: current.id,
            data: registryInterface.encodeFunctionData("anchorBatch", [current.root, current.leafCount]),
            payload: { root: current.root, leafCount: current.leafCount },
            checkpoint,
          });
          anchorHash = sent.hash;
        }
        const receipt = await waitRecorded(chain, store, anchorHash, options.confirmations, `The anchoring transaction of batch ${current.root}`);
        const block = await chain.provider.getBlock(receipt.blockNumber);
        const anchoredAt = Number(block?.timestamp ?? 0);
        gasUsed = receipt.gasUsed.toString();
        store.markAnchored(current.id, { txHash: anchorHash, blockNumber: receipt.blockNumber, anchoredAt, proofCreated: nowAsDateTime(new Date(anchoredAt * 1000)) });
      });
      checkpoint("after-receipt");
      current = store.getBatch(current.id);
    }

    // Files: every credential file and the batch file, each written atomically; the same bytes on every rerun.
    const anchor: Anchor = {
      chainId: `eip155:${chainId}`,
      registry: chain.registryAddress,
      issuer: issuerAddress,
      transactionHash: current.txHash!,
      blockNumber: current.blockNumber!,
    };
    const created = current.proofCreated!;
    const leafCount = prepared.batch.leafCount;
    const credentialsDir = path.join(outDir, "credentials");
    const writtenFiles: { leafIndex: number; filePath: string }[] = [];
    let ndjsonFile: string | null = null;
    await time("write files", async () => {
      await mkdir(credentialsDir, { recursive: true });
      // Temporary files of a run that crashed mid-write: never complete, never renamed; remove them.
      await removeStaleTemporaryFiles(credentialsDir);
      const fileOf = (index: number): Credential => attachProof(prepared.credential(index), prepared.batch, index, anchor, created);
      if (format === "files" || format === "both") {
        // Up to 64 files in flight: each is its own temp file + rename, so the file system works in parallel.
        let next = 0;
        let done = 0;
        const writer = async () => {
          while (next < leafCount) {
            const index = next;
            next += 1;
            const filePath = path.join(credentialsDir, credentialFileName(prepared.rowOf(index)));
            // Made durable all at once below (syncfs), before the batch is marked written; a crash before that rewrites them.
            await writeFileAtomically(filePath, `${JSON.stringify(fileOf(index), null, 2)}\n`, { removeStale: false, sync: false });
            writtenFiles[index] = { leafIndex: index, filePath };
            done += 1;
            if (done === Math.floor(leafCount / 2)) checkpoint("during-files");
            if (done % 1000 === 0) options.progress?.("writing credential files", done, leafCount);
          }
        };
        await Promise.all(Array.from({ length: Math.min(64, leafCount) }, writer));
        await syncFileSystem(credentialsDir, writtenFiles.map((entry) => entry.filePath));
        options.progress?.("writing credential files", leafCount, leafCount);
      }
      if (format === "ndjson" || format === "both") {
        ndjsonFile = path.join(outDir, "credentials.ndjson");
        await writeLinesAtomically(
          ndjsonFile,
          (function* () {
            for (let index = 0; index < leafCount; index += 1) {
              yield JSON.stringify(fileOf(index));
              if (index === Math.floor(leafCount / 2)) checkpoint("during-files");
            }
          })(),
        );
        if (format === "ndjson") for (let index = 0; index < leafCount; index += 1) writtenFiles.push({ leafIndex: index, filePath: `${ndjsonFile}#${index + 1}` });
      }
      await writeBatchFile(path.join(outDir, "batch.jsonl"), prepared.batch, (function* () {
        for (let index = 0; index < leafCount; index += 1) yield prepared.credential(index);
      })(), { anchor, createdAt: created });
    });
    store.markWritten(current.id, writtenFiles);

    return {
      status,
      chainId,
      registry: chain.registryAddress,
      issuer: issuerAddress,
      issuerProfileId: profile.profileId,
      root: current.root,
      leafCount,
      rejectedRows: rejected.length,
      rejectedFile,
      transactionHash: current.txHash,
      blockNumber: current.blockNumber,
      anchoredAt: current.proofCreated,
      gasUsed,
      outDir,
      batchFile: path.join(outDir, "batch.jsonl"),
      credentialFiles: format === "ndjson" ? 0 : leafCount,
      ndjsonFile,
      estimate: null,
      timings,
    };
  }
}
