import { parseArgs } from "node:util";
import { InvalidInputError } from "../errors/issuerErrors.ts";

/** The options every command accepts. */
const COMMON = {
  "rpc-url": { type: "string" },
  registry: { type: "string" },
  confirmations: { type: "string" },
  keystore: { type: "string" },
  store: { type: "string" },
  config: { type: "string" },
  "chain-id": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** A command's options (the common ones and its own) and its positional arguments. */
export type ParsedArgs = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/** The options a command adds to the common ones. */
export type CommandOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parses a command's arguments strictly: an unknown option or a missing value is the user's mistake. */
export function parseCommandArgs(argv: string[], options: CommandOptions): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    throw new InvalidInputError(`${(error as Error).message.split("\n")[0]}`, ["Run credreg --help for the commands and their options."]);
  }
}

/** The value of a string option; undefined when it is absent (or a boolean). */
export const str = (value: string | boolean | undefined) => (typeof value === "string" ? value : undefined);
