#!/usr/bin/env node
// The credreg command line: thin commands that parse arguments, call the library, and print.
// Exit codes: 0 success, 1 rejected input (files, flags, configuration), 2 chain, RPC or infrastructure failure.
import { BaseError } from "../errors/BaseError.ts";
import { classifyError } from "../errors/classifyError.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { accreditCommand } from "./commands/accreditCommand.ts";
import { apikeyCommand } from "./commands/apikeyCommand.ts";
import { auditCommand } from "./commands/auditCommand.ts";
import { batchesCommand } from "./commands/batchesCommand.ts";
import { deactivateCommand } from "./commands/deactivateCommand.ts";
import { deployCommand } from "./commands/deployCommand.ts";
import { issueCommand } from "./commands/issueCommand.ts";
import { revokeBatchCommand } from "./commands/revokeBatchCommand.ts";
import { serveCommand } from "./commands/serveCommand.ts";
import { statusCommand } from "./commands/statusCommand.ts";
import { verifyCommand } from "./commands/verifyCommand.ts";
import { escapeForTerminal, escapeJsonForTerminal } from "./escapeForTerminal.ts";
import { USAGE } from "./usage.ts";

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  switch (command) {
    case "deploy":
      return deployCommand(rest);
    case "accredit":
      return accreditCommand(rest);
    case "deactivate":
      return deactivateCommand(rest);
    case "issue":
      return issueCommand(rest);
    case "revoke":
    case "suspend":
    case "reinstate":
      return statusCommand(rest, command);
    case "revoke-batch":
      return revokeBatchCommand(rest);
    case "batches":
    case "batch":
      return batchesCommand(rest, command);
    case "audit":
      return auditCommand(rest);
    case "serve":
      return serveCommand(rest);
    case "apikey":
      return apikeyCommand(rest);
    case "verify":
      return verifyCommand(rest);
    default:
      throw new InvalidInputError(`Unknown command "${command}".`, ["Run credreg --help for the commands."]);
  }
}

const argv = process.argv.slice(2);
const json = argv.includes("--json");
try {
  await run(argv);
} catch (error) {
  // 1 for what the user gave (input, flags, configuration), 2 for everything on the chain's or machine's side.
  const classified = classifyError(error);
  const code = classified.exitCode;
  // A reworded error (no funds, nonce conflict, RPC outage) is its sentence only: never the raw transaction or RPC URL.
  const base = error instanceof BaseError && !classified.reworded ? error : undefined;
  const message = classified.message;
  if (json) {
    process.stdout.write(`${escapeJsonForTerminal(JSON.stringify({ error: { code: classified.name, exitCode: code, message, details: base ? (base.metaMessages ?? []) : classified.details, ...(base?.details ? { cause: base.details } : {}) } }))}\n`);
  }
  const text = base ? base.message : [message, ...(classified.details.length > 0 ? ["", ...classified.details] : [])].join("\n");
  process.stderr.write(`credreg: ${escapeForTerminal(text, true)}\n`);
  if (process.env.CREDREG_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}
