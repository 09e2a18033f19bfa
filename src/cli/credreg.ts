#!/usr/bin/env node
// The credreg command line: thin commands that parse arguments, call the library, and print.
// Exit codes: 0 success, 1 rejected input (files, flags, configuration), 2 chain, RPC or infrastructure failure.
import module from "node:module";
import { BaseError } from "../errors/BaseError.ts";
import { InvalidInputError } from "../errors/issuerErrors.ts";
import { escapeForTerminal, escapeJsonForTerminal } from "./escapeForTerminal.ts";
import { USAGE } from "./usage.ts";

// Compiled code of the modules is kept on disk (Node's compile cache, in the system's temporary folder unless
// NODE_COMPILE_CACHE says otherwise; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a command starts in about half the time.
module.enableCompileCache?.();

/**
 * Each command's module, loaded only when that command runs: `credreg verify` never loads the issuer's store, the
 * web server or the compiler of the verify page.
 */
const commands = {
  deploy: async (rest: string[]) => (await import("./commands/deployCommand.ts")).deployCommand(rest),
  accredit: async (rest: string[]) => (await import("./commands/accreditCommand.ts")).accreditCommand(rest),
  deactivate: async (rest: string[]) => (await import("./commands/deactivateCommand.ts")).deactivateCommand(rest),
  issue: async (rest: string[]) => (await import("./commands/issueCommand.ts")).issueCommand(rest),
  stack: async (rest: string[]) => (await import("./commands/stackCommand.ts")).stackCommand(rest),
  revoke: async (rest: string[]) => (await import("./commands/statusCommand.ts")).statusCommand(rest, "revoke"),
  suspend: async (rest: string[]) => (await import("./commands/statusCommand.ts")).statusCommand(rest, "suspend"),
  reinstate: async (rest: string[]) => (await import("./commands/statusCommand.ts")).statusCommand(rest, "reinstate"),
  "revoke-batch": async (rest: string[]) => (await import("./commands/revokeBatchCommand.ts")).revokeBatchCommand(rest),
  key: async (rest: string[]) => (await import("./commands/keyCommand.ts")).keyCommand(rest),
  "status-lists": async (rest: string[]) => (await import("./commands/statusListsCommand.ts")).statusListsCommand(rest),
  batches: async (rest: string[]) => (await import("./commands/batchesCommand.ts")).batchesCommand(rest, "batches"),
  batch: async (rest: string[]) => (await import("./commands/batchesCommand.ts")).batchesCommand(rest, "batch"),
  audit: async (rest: string[]) => (await import("./commands/auditCommand.ts")).auditCommand(rest),
  serve: async (rest: string[]) => (await import("./commands/serveCommand.ts")).serveCommand(rest),
  apikey: async (rest: string[]) => (await import("./commands/apikeyCommand.ts")).apikeyCommand(rest),
  verify: async (rest: string[]) => (await import("./commands/verifyCommand.ts")).verifyCommand(rest),
} satisfies Record<string, (rest: string[]) => Promise<void>>;

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!Object.hasOwn(commands, command)) throw new InvalidInputError(`Unknown command "${command}".`, ["Run credreg --help for the commands."]);
  return commands[command as keyof typeof commands](rest);
}

const argv = process.argv.slice(2);
const json = argv.includes("--json");
try {
  await run(argv);
} catch (error) {
  // 1 for what the user gave (input, flags, configuration), 2 for everything on the chain's or machine's side.
  const { classifyError } = await import("../errors/classifyError.ts");
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
