import { readFile, stat } from "node:fs/promises";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { MAX_BADGE_IMAGE_BYTES } from "../../credential/v2/badge/badgeConstants.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { issueBatch, type OutputFormat } from "../../issuer/issueBatch.ts";
import { signerFor, withChain, withStoreOn } from "../chainSession.ts";
import { print, progressBar } from "../cliOutput.ts";
import { crashCheckpoint } from "../crashCheckpoint.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { statusDirOf } from "../statusDirOf.ts";

/** The bytes of the --badge-image file, or a sentence saying why it cannot be read (its content is checked later). */
async function readBadgeImageFile(file: string): Promise<Uint8Array> {
  const fix = "Give --badge-image a PNG or SVG file of at most 256 KiB (512×512 pixels suits a badge), or leave it out to generate one.";
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("it is not a file");
    if (info.size > MAX_BADGE_IMAGE_BYTES) throw new InvalidInputError(`The badge image ${file} is ${Math.ceil(info.size / 1024)} KiB; a badge image may be at most ${MAX_BADGE_IMAGE_BYTES / 1024} KiB.`, [fix]);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof InvalidInputError) throw error;
    throw new InvalidInputError(`Cannot read the badge image ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}.`, [fix]);
  }
  return bytes;
}

/** `credreg issue`: builds, anchors and writes a batch of credentials (resuming an interrupted one). */
export async function issueCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, {
    input: { type: "string" },
    achievement: { type: "string" },
    out: { type: "string" },
    "skip-invalid": { type: "boolean" },
    "dry-run": { type: "boolean" },
    format: { type: "string" },
    "valid-from": { type: "string" },
    "valid-until": { type: "string" },
    "new-batch": { type: "boolean" },
    "format-version": { type: "string" },
    "status-base-url": { type: "string" },
    "badge-image": { type: "string" },
    "status-dir": { type: "string" },
  });
  const output = { json: values.json === true };
  const input = str(values.input);
  const achievement = str(values.achievement);
  const out = str(values.out);
  if (!input || !achievement || !out) throw new InvalidInputError("issue needs --input, --achievement and --out.", ["Example: credreg issue --input examples/recipients.csv --achievement examples/achievement.json --out issued/"]);
  const format = (str(values.format) ?? "files") as OutputFormat;
  if (!["files", "ndjson", "both"].includes(format)) throw new InvalidInputError(`--format ${format} is not one of files, ndjson, both.`);
  const versionText = str(values["format-version"]) ?? "2";
  if (versionText !== "1" && versionText !== "2") throw new InvalidInputError(`--format-version ${versionText} is not 1 or 2.`, ["Format 2 (the default) is a signed Open Badges 3.0 credential; 1 is the original format."]);
  const formatVersion = Number(versionText) as 1 | 2;
  const statusBaseUrl = str(values["status-base-url"]) ?? (process.env.CREDREG_STATUS_BASE_URL?.trim() || undefined);
  const badgeImageFile = str(values["badge-image"]);
  if (badgeImageFile !== undefined && formatVersion !== 2) throw new InvalidInputError("--badge-image is for format 2; format 1 credentials carry no image.", ["Drop --badge-image, or issue format 2."]);
  const badgeImage = badgeImageFile === undefined ? undefined : await readBadgeImageFile(badgeImageFile);
  const config = resolveConfig(values);
  const result = await withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    return withStoreOn(config, chain, (store) =>
      issueBatch(chain, signer, store, {
        input,
        achievement,
        outDir: out,
        confirmations: config.confirmations,
        skipInvalid: values["skip-invalid"] === true,
        dryRun: values["dry-run"] === true,
        format,
        validFrom: str(values["valid-from"]),
        validUntil: str(values["valid-until"]),
        newBatch: values["new-batch"] === true,
        formatVersion,
        statusBaseUrl,
        badgeImage,
        statusDir: statusDirOf(values, config),
        progress: progressBar(output),
        checkpoint: crashCheckpoint,
      }),
    );
  });
  const lines =
    result.status === "dry-run"
      ? [
          `Dry run: ${result.leafCount} credentials, root ${result.root}; nothing was sent or written.`,
          `Anchoring would use ${result.estimate?.gas} gas, at most ${result.estimate?.fee} wei at the current max fee of ${result.estimate?.maxFeePerGas} wei/gas.`,
        ]
      : [
          `${result.status === "issued" ? "Issued" : result.status === "resumed" ? "Resumed and issued" : "Already issued (files rewritten, nothing sent)"}: ${result.leafCount} credentials, root ${result.root}.`,
          `Anchored by ${result.issuer} in transaction ${result.transactionHash} (block ${result.blockNumber}, ${result.anchoredAt}).`,
          ...(result.signingKey === null ? [] : [`Signed (format 2) by ${result.signingKey.did}${result.signingKey.boundBy === null ? "" : `, bound to the issuer on chain in transaction ${result.signingKey.boundBy}`}.`]),
          ...(result.statusListFile === null ? [] : [`Status list credential written to ${result.statusListFile}: publish it at the credentials' statusListCredential URL (or let credreg serve serve it).`]),
          `Files in ${result.outDir}: ${result.credentialFiles ? `${result.credentialFiles} credential files in credentials/, ` : ""}${result.ndjsonFile ? "credentials.ndjson, " : ""}batch.jsonl.`,
        ];
  if (result.rejectedRows > 0) lines.push(`${result.rejectedRows} invalid rows were skipped; see ${result.rejectedFile}.`);
  print(output, { ...result, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }, lines);
}
