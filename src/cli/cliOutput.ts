import { escapeForTerminal, escapeJsonForTerminal } from "./escapeForTerminal.ts";

/** How a command prints: one JSON document (`--json`), or lines for a person. */
export type Output = { json: boolean };

/**
 * Prints a command's result on stdout: `document` as one line of JSON with `--json` (bigints as decimal strings),
 * else `lines`. Both are escaped for the terminal.
 */
export function print(output: Output, document: unknown, lines: string[]): void {
  if (output.json) process.stdout.write(`${escapeJsonForTerminal(jsonText(document))}\n`);
  else process.stdout.write(`${lines.map((line) => escapeForTerminal(line)).join("\n")}\n`);
}

/**
 * Prints one JSON document given as pieces of JSON text (`--json` output too large to build as one string first),
 * escaped for the terminal as {@link print} does, written about a megabyte at a time.
 */
export function printJsonParts(parts: Iterable<string>): void {
  let pending: string[] = [];
  let size = 0;
  for (const part of parts) {
    pending.push(escapeJsonForTerminal(part));
    size += part.length;
    if (size >= 1 << 20) {
      process.stdout.write(pending.join(""));
      pending = [];
      size = 0;
    }
  }
  process.stdout.write(`${pending.join("")}\n`);
}

/** JSON text of `value`, bigints as decimal strings (as {@link print} writes them). */
export const jsonText = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));

/** A progress bar on stderr, only on a terminal and never with --json. */
export function progressBar(output: Output): ((step: string, done: number, total: number) => void) | undefined {
  if (output.json || !process.stderr.isTTY) return undefined;
  return (step, done, total) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r${step} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}${done >= total ? "\n" : ""}`);
  };
}
