import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"; // dev account #5
const ISSUER = new Wallet(ISSUER_KEY).address;

let node: LocalNode;
let work: string;
let env: Record<string, string>;
let credentials: string;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-verify-"));
  env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_STORE: path.join(work, "issuer.sqlite") };
  const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  expect((await runCli(["deploy"], { cwd: work, env: governor })).code).toBe(0);
  expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: work, env: governor })).code).toBe(0);
  const issued = await runCli(["issue", "--input", path.resolve("examples/recipients.csv"), "--achievement", path.resolve("examples/achievement.json"), "--out", path.join(work, "out")], { cwd: work, env: { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY } });
  expect(issued.code, issued.stderr).toBe(0);
  credentials = path.join(work, "out", "credentials");
});

afterAll(async () => {
  await node?.stop();
});

describe("credreg verify", () => {
  it("default: one valid file prints every step with a tick and VALID, exit 0, no key needed", async () => {
    const run = await runCli(["verify", path.join(credentials, "credential-000002.json"), "--recipient", "ada@example.org"], { cwd: work, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("(Ada Lovelace, Data Analysis with Python)");
    for (const step of ["format", "integrity", "inclusion", "anchor", "issuer", "status", "validity", "chain", "recipient"]) {
      expect(run.stdout).toMatch(new RegExp(`  ✔ ${step}`));
    }
    expect(run.stdout).toContain("  VALID");
  });

  it("behavior: a directory gives a summary by reason; revoked and tampered files exit 1; --json documents each", async () => {
    const files = (await readdir(credentials)).sort();
    expect((await runCli(["revoke", path.join(credentials, files[0]!), "--reason", "Misconduct"], { cwd: work, env: { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY } })).code).toBe(0);
    const tampered = JSON.parse(await readFile(path.join(credentials, files[1]!), "utf8")) as Record<string, unknown>;
    tampered.name = "Master of Everything";
    const extra = path.join(work, "extra");
    await (await import("node:fs/promises")).mkdir(extra);
    await writeFile(path.join(extra, "tampered.json"), JSON.stringify(tampered));
    await writeFile(path.join(extra, "broken.json"), "{ not json");
    const run = await runCli(["verify", credentials, extra], { cwd: work, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/NOT VALID at status: Revoked at .* for reason 3 \(Misconduct/);
    expect(run.stdout).toMatch(/tampered\.json: NOT VALID at integrity: The file was altered after issuance/);
    expect(run.stdout).toMatch(/broken\.json: NOT VALID at format: Not a credential of this format: 1 problem, first \$: not JSON/);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("14 credentials: 11 valid, 3 not valid (1 at status, 1 at format, 1 at integrity), 0 could not be verified.");
    const json = await runCli(["verify", credentials, "--json"], { cwd: work, env });
    expect(json.json.summary).toMatchObject({ total: 12, valid: 11, invalid: 1, error: 0, invalidByStep: { status: 1 } });
    expect(json.json.summary.rpc.requests).toBeLessThan(15); // chain id, block number, code, one bulk status call, issuer, logs, block
    expect(json.json.results[0]).toMatchObject({ source: path.join(credentials, files[0]!), status: "invalid" });
    expect(json.json.results[0].steps.map((step: { name: string }) => step.name)).toEqual(["format", "integrity", "inclusion", "anchor", "issuer", "status", "validity", "chain", "recipient"]);
  });

  it("behavior: reads credentials from standard input; --at checks a past moment", async () => {
    const file = path.join(credentials, (await readdir(credentials)).sort()[2]!);
    const stdinRun = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [path.resolve("src/cli/credreg.ts"), "verify", "-", "--json"], { env: { PATH: process.env.PATH, ...env } }, (error, stdout) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }),
      );
      void readFile(file, "utf8").then((text) => child.stdin!.end(text));
    });
    expect(stdinRun.code).toBe(0);
    expect(JSON.parse(stdinRun.stdout).results[0]).toMatchObject({ source: "(stdin)", status: "valid" });
    const past = await runCli(["verify", file, "--at", "2020-01-01T00:00:00Z", "--json"], { cwd: work, env });
    expect(past.code).toBe(1);
    expect(past.json.results[0].steps.find((step: { name: string }) => step.name === "anchor").status).toBe("failed");
  });

  it("error: an unreachable RPC is 'could not verify', exit 2; a missing path or bad --at is exit 1", async () => {
    const down = await runCli(["verify", credentials, "--json"], { cwd: work, env: { ...env, CREDREG_RPC_URL: "http://127.0.0.1:9" } });
    expect(down.code).toBe(2);
    expect(down.json.summary).toMatchObject({ total: 12, error: 12, invalid: 0 });
    const missing = await runCli(["verify", path.join(work, "nope.json")], { cwd: work, env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("does not exist");
    const badAt = await runCli(["verify", credentials, "--at", "yesterday-ish"], { cwd: work, env });
    expect(badAt.code).toBe(1);
    const noRegistry = await runCli(["verify", credentials, "--json"], { cwd: work, env: { ...env, CREDREG_DEPLOYMENTS_DIR: path.join(work, "none") } });
    expect(noRegistry.code).toBe(2);
    expect(noRegistry.json.results[0].steps.find((step: { name: string }) => step.name === "chain").message).toMatch(/no registry to trust/);
  });
});
