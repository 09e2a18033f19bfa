import { escapeForTerminal, escapeJsonForTerminal } from "./escapeForTerminal.ts";

/** How a command prints: one JSON document (`--json`), or lines for a person. */
export type Output = { json: boolean };

/**
 * Prints a command's result on stdout: `document` as one line of JSON with `--json` (bigints as decimal strings),
 * else `lines`. Both are escaped for the terminal.
 */
export function print(output: Output, document: unknown, lines: string[]): void {
  if (output.json) process.stdout.write(`${escapeJsonForTerminal(JSON.stringify(document, (_key, value) => (typeof value === "bigint" ? value.toString() : value)))}\n`);
  else process.stdout.write(`${lines.map((line) => escapeForTerminal(line)).join("\n")}\n`);
}

/** A progress bar on stderr, only on a terminal and never with --json. */
export function progressBar(output: Output): ((step: string, done: number, total: number) => void) | undefined {
  if (output.json || !process.stderr.isTTY) return undefined;
  return (step, done, total) => {
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(`\r${step} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}${done >= total ? "\n" : ""}`);
  };
}
