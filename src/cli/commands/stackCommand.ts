import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import type { OutputFormat } from "../../issuer/issueBatch.ts";
import { readPathway } from "../../stacking/readPathway.ts";
import { readComponentFiles, readStackHolders } from "../../stacking/readStackHolders.ts";
import { stackCredentials } from "../../stacking/stackCredentials.ts";
import { signerFor, withChain, withStoreOn } from "../chainSession.ts";
import { print, progressBar } from "../cliOutput.ts";
import { crashCheckpoint } from "../crashCheckpoint.ts";
import { escapeForTerminal } from "../escapeForTerminal.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { statusDirOf } from "../statusDirOf.ts";

const EXAMPLE = "Example: credreg stack --pathway examples/pathway.json --holder-name 'Ada Lovelace' --components a.json b.json c.json --out stacked/";

/** `credreg stack`: verifies a holder's component credentials against a pathway and issues the stacked credential. */
export async function stackCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, {
    pathway: { type: "string" },
    components: { type: "boolean" },
    "holder-name": { type: "string" },
    "holder-email": { type: "string" },
    input: { type: "string" },
    out: { type: "string" },
    format: { type: "string" },
    "valid-from": { type: "string" },
    "valid-until": { type: "string" },
    "status-base-url": { type: "string" },
    "status-dir": { type: "string" },
  });
  const output = { json: values.json === true };
  const pathwayFile = str(values.pathway);
  const out = str(values.out);
  const input = str(values.input);
  if (!pathwayFile || !out) throw new InvalidInputError("stack needs --pathway and --out.", [EXAMPLE]);
  if (input !== undefined && (positionals.length > 0 || values["holder-name"] !== undefined || values["holder-email"] !== undefined)) {
    throw new InvalidInputError("Give either --input <holders.csv> or one holder's --components with --holder-name/--holder-email, not both.", [EXAMPLE]);
  }
  if (input === undefined && (values.components !== true || positionals.length === 0)) throw new InvalidInputError("stack needs the holder's credential files after --components (or a holders file with --input).", [EXAMPLE]);
  const format = (str(values.format) ?? "files") as OutputFormat;
  if (!["files", "ndjson", "both"].includes(format)) throw new InvalidInputError(`--format ${format} is not one of files, ndjson, both.`);
  const pathway = await readPathway(pathwayFile);
  const holders = input !== undefined ? await readStackHolders(input) : [{ name: str(values["holder-name"]), email: str(values["holder-email"]), components: await readComponentFiles(positionals) }];
  const config = resolveConfig(values);
  const result = await withChain(config, async (chain) => {
    const signer = await signerFor(config, chain);
    return withStoreOn(config, chain, (store) =>
      stackCredentials(chain, signer, store, {
        pathway,
        holders,
        outDir: out,
        confirmations: config.confirmations,
        format,
        validFrom: str(values["valid-from"]),
        validUntil: str(values["valid-until"]),
        statusBaseUrl: str(values["status-base-url"]) ?? (process.env.CREDREG_STATUS_BASE_URL?.trim() || undefined),
        statusDir: statusDirOf(values, config),
        progress: progressBar(output),
        checkpoint: crashCheckpoint,
      }),
    );
  });
  const lines = [
    `${result.status === "issued" ? "Stacked" : result.status === "resumed" ? "Resumed and stacked" : "Already stacked (files rewritten, nothing sent)"}: ${result.leafCount} ${escapeForTerminal(pathway.qualification.name)} credential${result.leafCount === 1 ? "" : "s"}, root ${result.root}.`,
    ...result.holders.map((holder) => `  ${escapeForTerminal(holder.name ?? "holder")}: ${holder.components.map((component) => `${escapeForTerminal(component.name)} (${escapeForTerminal(component.source)})`).join(", ")}`),
    `Anchored by ${result.issuer} in transaction ${result.transactionHash} (block ${result.blockNumber}, ${result.anchoredAt}).`,
    ...(result.statusListFile === null ? [] : [`Status list credential written to ${result.statusListFile}.`]),
    `Files in ${result.outDir}: ${result.credentialFiles ? `${result.credentialFiles} credential files in credentials/, ` : ""}${result.ndjsonFile ? "credentials.ndjson, " : ""}batch.jsonl.`,
  ];
  print(output, result, lines);
}
