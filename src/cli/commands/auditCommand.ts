import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { type AuditFormat, runAudit } from "../auditCommand.ts";
import { escapeForTerminal, escapeJsonForTerminal } from "../escapeForTerminal.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";

/** `credreg audit <subject> ...`: reads the `--format` (json with --json, else table) and prints what runAudit found. */
export async function auditCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { from: { type: "string" }, to: { type: "string" }, at: { type: "string" }, format: { type: "string" }, reindex: { type: "boolean" } });
  const format = (str(values.format) ?? (values.json === true ? "json" : "table")) as AuditFormat;
  if (!["table", "json", "csv"].includes(format)) throw new InvalidInputError(`--format ${format} is not one of table, json, csv.`);
  const [subject, ...args] = positionals;
  const result = await runAudit({ subject, args, from: str(values.from), to: str(values.to), at: str(values.at), format, reindex: values.reindex === true, config: resolveConfig(values), csvOut: process.stdout });
  if (result.streamed === true) return; // a CSV timeline, already streamed to stdout row by row
  if (format === "json") process.stdout.write(`${escapeJsonForTerminal(JSON.stringify(result.document))}\n`);
  else if (format === "csv") process.stdout.write(`${result.text.trimEnd()}\n`);
  else process.stdout.write(`${escapeForTerminal(result.text.trimEnd(), true)}\n`);
}
