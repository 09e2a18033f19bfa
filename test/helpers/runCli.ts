import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const CLI = path.resolve("src/cli/credreg.ts");

export type CliRun = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; json: any };

/** An empty user configuration folder: the tests never read the machine user's trust file. */
const EMPTY_CONFIG_HOME = mkdtempSync(path.join(tmpdir(), "credreg-config-home-"));

/**
 * Runs `credreg ...args` in `cwd` with `env` added (never inheriting CREDREG_* from the test process, and with an
 * empty XDG_CONFIG_HOME unless given: no user-level trust file).
 */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: EMPTY_CONFIG_HOME, FORCE_COLOR: "0" };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({
        code: failure === null ? 0 : typeof failure.code === "number" ? failure.code : null,
        signal: failure?.signal ?? null,
        stdout,
        stderr,
        json,
      });
    });
  });
}
