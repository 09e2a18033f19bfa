import { createHash, randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Signer } from "ethers";
import { attachProof } from "../batch/attachProof.ts";
import { buildBatchFromRecipients } from "../batch/buildBatchFromRecipients.ts";
import { buildSignedBatchV2 } from "../batch/buildSignedBatchV2.ts";
import { type SigningKeySource, signingKeySourceOfSigner } from "../config/loadSigningKey.ts";
import { type CredentialTemplate, nowAsDateTime } from "../credential/buildUnsignedCredential.ts";
import type { Anchor, UnsignedCredential } from "../credential/credentialSchema.ts";
import { attachAnchorProofV2 } from "../credential/v2/attachAnchorProofV2.ts";
import { type CredentialTemplateV2, resultNamesOf } from "../credential/v2/buildUnsignedCredentialV2.ts";
import type { RecipientInput } from "../credential/issuanceInputSchema.ts";
import { writeFileAtomically } from "../fs/writeAtomically.ts";
import { registryInterface } from "../chain/registryContract.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";
import { withIssuerLock } from "../store/withIssuerLock.ts";
import { type ChainContext, requireActiveIssuer } from "../chain/openChain.ts";
import { anchorStoredBatch } from "./anchorStoredBatch.ts";
import { badgeBaker, badgeImageOf } from "./badgeImageOf.ts";
import { ensureSigningKey } from "./ensureSigningKey.ts";
import { isTemplateV2, type StoredTemplateV2 } from "./storedTemplateV2.ts";
import { defaultStatusDir, writeStatusLists } from "./writeStatusLists.ts";
import { type OutputFormat, writeIssuedFiles } from "./writeIssuedFiles.ts";
import { type Prepared, rebuildFromStore, signerOf } from "./preparedBatch.ts";
import { readIssueInputs } from "./readIssueInputs.ts";
import { statusBaseOf } from "./statusBaseOf.ts";
import type { PathwayRule } from "../credential/v2/pathwayRuleSchema.ts";

export type { OutputFormat };

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
  /** 2 (default): signed Open Badges 3.0 credentials (docs/credential-format-v2.md); 1: the original format. */
  readonly formatVersion?: 1 | 2 | undefined;
  /** Format 2: where the issuer publishes its status lists (default: `<issuer profile URL>/credreg/status`). */
  readonly statusBaseUrl?: string | undefined;
  /** Format 2: the signing key's source (default: CREDREG_SIGNING_KEY, else derived from the signer's key). */
  readonly signingKey?: SigningKeySource | undefined;
  /**
   * Format 2: the badge image's bytes (a PNG or an SVG, checked: at most 256 KiB, 64 to 2048 pixels, no script or
   * outside reference). Default: one generated from the achievement (name, issuer, EQF level, credits).
   */
  readonly badgeImage?: Uint8Array | undefined;
  /** Format 2: where the batch's status list credential is written (default: `status/` beside the store). */
  readonly statusDir?: string | undefined;
  /**
   * Format 2: a stacked credentials' batch (`credreg stack`): the pathway rule the qualification carries; each
   * recipient carries its verified `components`.
   */
  readonly pathway?: PathwayRule | undefined;
  /** Progress of long steps (for a progress bar). */
  readonly progress?: ((step: string, done: number, total: number) => void) | undefined;
  /** Crash-injection points for tests: "before-send", "after-send", "after-receipt", "during-files". */
  readonly checkpoint?: ((point: string) => void) | undefined;
};

export type IssueResult = {
  readonly status: "issued" | "resumed" | "already-issued" | "dry-run";
  readonly formatVersion: 1 | 2;
  /** Format 2: the signing key (did:key) and the transaction that bound it on chain in this run, if any. */
  readonly signingKey: { readonly did: string; readonly boundBy: string | null } | null;
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
  /** Format 2: the batch's status list credential, to publish at its `statusListCredential` URL. */
  readonly statusListFile: string | null;
  /** Dry runs only: the anchoring transaction's gas and its fee at current prices. */
  readonly estimate: { readonly gas: string; readonly maxFeePerGas: string; readonly fee: string } | null;
  readonly timings: Readonly<Record<string, number>>;
};

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
  const { achievement, valid, rejected } = await time("read and validate", () => readIssueInputs(options));
  await mkdir(outDir, { recursive: true });
  let rejectedFile: string | null = null;
  if (rejected.length > 0) {
    rejectedFile = path.join(outDir, "rejected-rows.json");
    await writeFileAtomically(rejectedFile, `${JSON.stringify(rejected.map((row) => ({ where: row.where, row: row.raw, problems: row.problems })), null, 2)}\n`);
  }

  // The same command (same rows, achievement, issuer, registry, options) finds its batch again after a crash.
  const formatVersion = options.formatVersion ?? 2;
  const statusBaseUrl = formatVersion === 2 ? statusBaseOf(options.statusBaseUrl, profile.profileId) : undefined;
  const image = formatVersion === 2 ? badgeImageOf(achievement, profile.name, options.badgeImage) : undefined;
  const inputDigest = createHash("sha256")
    .update(
      JSON.stringify({
        recipients: valid.map((entry) => entry.row.raw),
        achievement,
        profile: [profile.profileId, profile.name],
        chainId,
        registry: chain.registryAddress.toLowerCase(),
        validFrom: options.validFrom ?? null,
        validUntil: options.validUntil ?? null,
        // v1's digest is unchanged (its stores resume as before); v2's names everything its credentials depend on.
        ...(formatVersion === 2 ? { formatVersion, statusBaseUrl, image: image?.id ?? null } : {}),
        ...(options.pathway === undefined ? {} : { pathway: options.pathway }),
      }),
    )
    .digest("hex");
  const signingKeySourceOf = (): SigningKeySource => options.signingKey ?? signingKeySourceOfSigner(signer);
  const buildV1 = async (recipients: RecipientInput[]) => {
    const template: CredentialTemplate = {
      issuer: { id: profile.profileId, name: profile.name },
      achievement,
      registry: { chainId, address: chain.registryAddress },
      validFrom: options.validFrom ?? nowAsDateTime(),
      ...(options.validUntil === undefined ? {} : { validUntil: options.validUntil }),
    };
    const batch = await time("build and hash", () => buildBatchFromRecipients(template, recipients));
    return { batch, template: template as unknown, version: 1 as const, signingKey: undefined };
  };
  const buildV2 = async (recipients: RecipientInput[]) => {
    const inUse = await time("signing key", () => ensureSigningKey(chain, signer, store, signingKeySourceOf(), { confirmations: options.confirmations, bind: options.dryRun !== true }));
    const template: CredentialTemplateV2 = {
      issuer: { did: inUse.key.controller, url: profile.profileId, name: profile.name },
      achievement,
      ...(image === undefined ? {} : { image }),
      resultNames: resultNamesOf(recipients),
      statusListCredential: `${statusBaseUrl}/${randomUUID()}`,
      ...(options.pathway === undefined ? {} : { pathway: options.pathway }),
      validFrom: options.validFrom ?? nowAsDateTime(),
      ...(options.validUntil === undefined ? {} : { validUntil: options.validUntil }),
    };
    const signatureCreated = nowAsDateTime();
    const batch = await time("build, sign and hash", () =>
      buildSignedBatchV2(template, recipients, signerOf(inUse.key, signatureCreated), { progress: (done, total) => options.progress?.("signing credentials", done, total) }),
    );
    const stored: StoredTemplateV2 = { formatVersion: 2, template, signatureCreated, keyGeneration: inUse.generation, keyDid: inUse.key.controller };
    return { batch, template: stored as unknown, version: 2 as const, signingKey: { did: inUse.key.controller, boundBy: inUse.boundBy } };
  };
  // One process at a time per (chain, issuer), from the look-up of the batch to its files: a second process given the
  // same inputs waits for the first, then finds the same batch; the account's nonces are never raced.
  const lockKey = { storeFile: store.file, chainId, genesisHash: chain.genesisHash, issuer: issuerAddress };
  return options.dryRun ? finish() : withIssuerLock(lockKey, finish);

  async function finish(): Promise<IssueResult> {
    const previous = options.newBatch || options.dryRun ? undefined : store.findBatchByDigest(chainId, chain.registryAddress, issuerAddress, inputDigest);

    let prepared: Prepared;
    const status: IssueResult["status"] = previous === undefined ? "issued" : previous.state === "written" ? "already-issued" : "resumed";
    if (previous !== undefined) {
      prepared = await time("rebuild from store", () => rebuildFromStore(store, previous, signingKeySourceOf));
    } else {
      const recipients = valid.map((entry) => entry.recipient);
      const built = formatVersion === 2 ? await buildV2(recipients) : await buildV1(recipients);
      const { batch, template } = built;
      const rowOf = (index: number) => valid[batch.inputIndex(index)]!.row.position;
      if (options.dryRun) {
        const gas = await chain.provider.estimateGas({ from: issuerAddress, to: chain.registryAddress, data: registryInterface.encodeFunctionData("anchorBatch", [batch.root, batch.leafCount]) });
        const fees = await chain.provider.getFeeData();
        const maxFeePerGas = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
        return {
          status: "dry-run",
          formatVersion,
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
          statusListFile: null,
          signingKey: built.signingKey ?? null,
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
      prepared = { stored, batch, credential: (index) => batch.credential(index), rowOf, version: built.version, signingKey: built.signingKey };
    }
    checkpoint("before-send");

    // Anchor, at most once.
    const anchored = await time("anchor", () => anchorStoredBatch(chain, signer, store, prepared.stored.id, { confirmations: options.confirmations, checkpoint }));
    const current = anchored.batch;
    const gasUsed = anchored.gasUsed;

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
    const fileOf = (index: number) =>
      prepared.version === 2
        ? attachAnchorProofV2(prepared.credential(index) as Record<string, unknown>, prepared.batch, index, anchor, created)
        : attachProof(prepared.credential(index) as UnsignedCredential, prepared.batch, index, anchor, created);
    // Format 2 with a badge image: each credential is also written baked into it (credential-000002.svg or .png).
    const baker = isTemplateV2(prepared.stored.template) && prepared.stored.template.template.image !== undefined ? badgeBaker(prepared.stored.template.template.image) : undefined;
    const { written: writtenFiles, ndjsonFile } = await time("write files", () =>
      writeIssuedFiles({
        outDir,
        format,
        batch: prepared.batch,
        fileOf,
        entryOf: (index) => prepared.credential(index),
        batchFileFormat: prepared.version === 2 ? "credreg-batch-v2" : "credreg-batch-v1",
        rowOf: prepared.rowOf,
        extrasOf: baker === undefined ? undefined : (_index, fileText) => [baker(fileText)],
        anchor,
        created,
        progress: options.progress,
        checkpoint,
      }),
    );
    store.markWritten(current.id, writtenFiles);
    // Format 2: the batch's status list credential (revocation bits from the chain), for the issuer to publish.
    const statusLists =
      prepared.version === 2 ? await time("status list", () => writeStatusLists(chain, store, issuerAddress, signingKeySourceOf(), options.statusDir ?? defaultStatusDir(store.file), [current.root])) : [];

    return {
      status,
      formatVersion: prepared.version,
      signingKey: prepared.signingKey ?? null,
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
      statusListFile: statusLists[0]?.file ?? null,
      estimate: null,
      timings,
    };
  }
}
