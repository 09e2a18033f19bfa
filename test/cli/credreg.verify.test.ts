import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

// These scenarios exercise format 1 files (--format-version 1); format 2 is covered by credreg.issue and readme tests.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"; // dev account #5
const ISSUER = new Wallet(ISSUER_KEY).address;

let node: LocalNode;
let work: string;
let env: Record<string, string>;
let credentials: string;
/** What a verifier configures: the RPC and the registry it trusts (the deployments file is the issuer's, not used). */
let verifierEnv: Record<string, string>;
let registry: string;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-verify-"));
  env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_STORE: path.join(work, "issuer.sqlite") };
  const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  expect((await runCli(["deploy"], { cwd: work, env: governor })).code).toBe(0);
  expect((await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: work, env: governor })).code).toBe(0);
  const issued = await runCli(["issue", "--format-version", "1", "--input", path.resolve("examples/recipients.csv"), "--achievement", path.resolve("examples/achievement.json"), "--out", path.join(work, "out")], { cwd: work, env: { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY } });
  expect(issued.code, issued.stderr).toBe(0);
  credentials = path.join(work, "out", "credentials");
  registry = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address;
  verifierEnv = { CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: registry };
});

afterAll(async () => {
  await node?.stop();
});

describe("credreg verify", () => {
  it("default: one valid file prints every step with a tick and VALID, exit 0, no key needed", async () => {
    const run = await runCli(["verify", path.join(credentials, "credential-000002.json"), "--recipient", "ada@example.org"], { cwd: work, env: verifierEnv });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("(Ada Lovelace, Data Analysis with Python)");
    for (const step of ["format", "integrity", "inclusion", "anchor", "issuer", "status", "validity", "chain", "recipient"]) {
      expect(run.stdout).toMatch(new RegExp(`  ✔ ${step}`));
    }
    expect(run.stdout).toContain("  VALID");
    expect(run.stdout.split("\n")[0]).toBe(`Trusted registry ${registry} (environment (CREDREG_TRUSTED_REGISTRIES))`);
    expect(run.stdout).toContain(`  ✔ chain     eip155:31337, registry ${registry} (trusted: environment (CREDREG_TRUSTED_REGISTRIES)).`);
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
    const run = await runCli(["verify", credentials, extra], { cwd: work, env: verifierEnv });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/NOT VALID at status: Revoked at .* for reason 3 \(Misconduct/);
    expect(run.stdout).toMatch(/tampered\.json: NOT VALID at integrity: The file was altered after issuance/);
    expect(run.stdout).toMatch(/broken\.json: NOT VALID at format: Not a credential of this format: 1 problem, first \$: not JSON/);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("14 credentials: 11 valid, 3 not valid (1 at status, 1 at format, 1 at integrity), 0 could not be verified.");
    const json = await runCli(["verify", credentials, "--json"], { cwd: work, env: verifierEnv });
    expect(json.json.summary).toMatchObject({ total: 12, valid: 11, invalid: 1, error: 0, invalidByStep: { status: 1 } });
    expect(json.json.summary.rpc.requests).toBeLessThan(15); // chain id, block number, code, one bulk status call, issuer, logs, block
    expect(json.json.results[0]).toMatchObject({ source: path.join(credentials, files[0]!), status: "invalid" });
    expect(json.json.results[0].steps.map((step: { name: string }) => step.name)).toEqual(["format", "integrity", "inclusion", "anchor", "issuer", "signature", "status", "components", "validity", "chain", "recipient"]);
  });

  it("behavior: reads credentials from standard input; --at checks a past moment", async () => {
    const file = path.join(credentials, (await readdir(credentials)).sort()[2]!);
    const stdinRun = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(process.execPath, [path.resolve("src/cli/credreg.ts"), "verify", "-", "--json"], { env: { PATH: process.env.PATH, ...verifierEnv } }, (error, stdout) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }),
      );
      void readFile(file, "utf8").then((text) => child.stdin!.end(text));
    });
    expect(stdinRun.code).toBe(0);
    expect(JSON.parse(stdinRun.stdout).results[0]).toMatchObject({ source: "(stdin)", status: "valid" });
    const past = await runCli(["verify", file, "--at", "2020-01-01T00:00:00Z", "--json"], { cwd: work, env: verifierEnv });
    expect(past.code).toBe(1);
    expect(past.json.results[0].steps.find((step: { name: string }) => step.name === "anchor").status).toBe("failed");
  });

  it("error: an unreachable RPC is 'could not verify', exit 2; a missing path or bad --at is exit 1", async () => {
    const down = await runCli(["verify", credentials, "--json"], { cwd: work, env: { ...verifierEnv, CREDREG_RPC_URL: "http://127.0.0.1:9" } });
    expect(down.code).toBe(2);
    expect(down.json.summary).toMatchObject({ total: 12, error: 12, invalid: 0 });
    const missing = await runCli(["verify", path.join(work, "nope.json")], { cwd: work, env: verifierEnv });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("does not exist");
    const badAt = await runCli(["verify", credentials, "--at", "yesterday-ish"], { cwd: work, env: verifierEnv });
    expect(badAt.code).toBe(1);
  });
});

describe("credreg verify: many files, on every core", () => {
  it("behavior: a folder of 600 files (one unreadable) verified on worker threads prints what one thread prints, in name order", async () => {
    const bulk = await mkdtemp(path.join(tmpdir(), "credreg-verify-bulk-"));
    const names = (await readdir(credentials)).filter((name) => name.endsWith(".json")).sort();
    for (let index = 0; index < 600; index += 1) {
      await writeFile(path.join(bulk, `copy-${String(index).padStart(4, "0")}.json`), await readFile(path.join(credentials, names[index % names.length]!)));
    }
    // A link to nothing: found by the walk, unreadable.
    await symlink(path.join(bulk, "nowhere.json"), path.join(bulk, "copy-0300-gone.json"));
    const [many, one] = [await runCli(["verify", bulk, "--json"], { cwd: work, env: verifierEnv }), await runCli(["verify", bulk, "--json", "--threads", "1"], { cwd: work, env: verifierEnv })];
    expect(many.code, many.stderr).toBe(1);
    const comparable = (run: typeof many) => JSON.parse(JSON.stringify(run.json.results), (key, value: unknown) => (key === "checkedAt" ? undefined : value)) as unknown;
    expect(comparable(many)).toEqual(comparable(one));
    expect(many.json.summary).toEqual(one.json.summary);
    expect(many.json.summary).toMatchObject({ total: 601, error: 0, invalidByStep: { format: 1 } });
    const order = many.json.results.map((result: { source: string }) => path.basename(result.source));
    expect(order).toEqual([...Array.from({ length: 300 }, (_, index) => `copy-${String(index).padStart(4, "0")}.json`), "copy-0300-gone.json", ...Array.from({ length: 300 }, (_, index) => `copy-${String(index + 300).padStart(4, "0")}.json`)]);
    expect(many.json.results[300].steps[0].message).toBe("Not a credential of this format: 1 problem, first $: the file could not be read (ENOENT).");
  });

  it("error: with no registry configured, a folder already being read on worker threads still ends in the one sentence, exit 2", async () => {
    const bulk = await mkdtemp(path.join(tmpdir(), "credreg-verify-untrusted-"));
    const names = (await readdir(credentials)).filter((name) => name.endsWith(".json")).sort();
    for (let index = 0; index < 600; index += 1) await writeFile(path.join(bulk, `copy-${String(index).padStart(4, "0")}.json`), await readFile(path.join(credentials, names[index % names.length]!)));
    const run = await runCli(["verify", bulk], { cwd: work, env: { CREDREG_RPC_URL: node.url } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n")[0]).toBe("credreg: No trusted registry configured; pass --registry.");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("error: --threads must be a whole number from 1", async () => {
    for (const bad of ["0", "two", "1.5", "1000"]) {
      const run = await runCli(["verify", credentials, "--threads", bad], { cwd: work, env: verifierEnv });
      expect(run.code, bad).toBe(1);
      expect(run.stderr).toContain(`--threads ${bad} is not a number of threads.`);
    }
  });
});

describe("credreg verify: trust never travels with the credential", () => {
  const ATTACKER_KEY = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"; // dev account #8
  const ATTACKER = new Wallet(ATTACKER_KEY).address;

  it("error: with no registry configured it exits 2 with one sentence, even inside a folder holding a config file and a deployments file", async () => {
    // work/ holds deployments/31337.json (and we add a credreg.config.json): the issuer's files, never a verifier's trust.
    await writeFile(path.join(work, "credreg.config.json"), JSON.stringify({ registry }));
    const run = await runCli(["verify", path.join(credentials, "credential-000002.json"), "--json"], { cwd: work, env: { CREDREG_RPC_URL: node.url } });
    expect(run.code).toBe(2);
    expect(run.json.error).toMatchObject({ code: "NoTrustedRegistryError", exitCode: 2, message: "No trusted registry configured; pass --registry." });
    const human = await runCli(["verify", path.join(credentials, "credential-000002.json")], { cwd: work, env: { CREDREG_RPC_URL: node.url } });
    expect(human.code).toBe(2);
    expect(human.stderr.split("\n")[0]).toBe("credreg: No trusted registry configured; pass --registry.");
  });

  it("behavior: a rogue registry named by the credential's folder verifies nothing; the trusted one refuses its credentials at chain", async () => {
    // The attacker deploys its own registry, accredits its own key under the real issuer's name and profile id, and
    // issues a credential; the folder it sends holds a credreg.config.json and deployments/ naming its registry.
    const rogue = await mkdtemp(path.join(tmpdir(), "credreg-rogue-"));
    const attacker = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(rogue, "deployments"), CREDREG_STORE: path.join(rogue, "store.sqlite"), CREDREG_PRIVATE_KEY: ATTACKER_KEY };
    expect((await runCli(["deploy"], { cwd: rogue, env: attacker })).code).toBe(0);
    const rogueRegistry = JSON.parse(await readFile(path.join(rogue, "deployments", "31337.json"), "utf8")).address as string;
    expect((await runCli(["accredit", ATTACKER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: rogue, env: attacker })).code).toBe(0);
    const issued = await runCli(["issue", "--format-version", "1", "--input", path.resolve("examples/recipients.csv"), "--achievement", path.resolve("examples/achievement.json"), "--out", path.join(rogue, "out")], { cwd: rogue, env: attacker });
    expect(issued.code, issued.stderr).toBe(0);
    await writeFile(path.join(rogue, "credreg.config.json"), JSON.stringify({ registry: rogueRegistry }));
    const forged = path.join(rogue, "out", "credentials", "credential-000002.json");

    // The forgery is perfect against its own registry: only trust tells it apart.
    const againstRogue = await runCli(["verify", forged, "--json"], { cwd: rogue, env: { CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: rogueRegistry } });
    expect(againstRogue.json.results[0].status).toBe("valid");
    const inFolder = await runCli(["verify", forged, "--json"], { cwd: rogue, env: { CREDREG_RPC_URL: node.url } });
    expect(inFolder.code).toBe(2);
    expect(inFolder.json.error.code).toBe("NoTrustedRegistryError");
    const trusted = await runCli(["verify", forged, "--json", "--registry", registry], { cwd: rogue, env: { CREDREG_RPC_URL: node.url } });
    expect(trusted.code).toBe(1);
    expect(trusted.json.results[0].status).toBe("invalid");
    const chain = trusted.json.results[0].steps.find((step: { name: string }) => step.name === "chain");
    expect(chain).toMatchObject({ status: "failed", message: `The registry ${rogueRegistry} named by the credential is not one you trust (${registry}).` });
    expect(trusted.json.trust.registries).toEqual([{ address: registry, source: "flag --registry" }]);
    const config = await runCli(["verify", forged, "--config", path.join(rogue, "credreg.config.json"), "--registry", registry], { cwd: rogue, env: { CREDREG_RPC_URL: node.url } });
    expect(config.code).toBe(1);
    expect(config.stderr).toContain("verify reads no project config file (--config).");
  });

  it("behavior: the user-level trust file is read (and named as the source); an entry for another chain does not count", async () => {
    const home = await mkdtemp(path.join(tmpdir(), "credreg-xdg-"));
    await (await import("node:fs/promises")).mkdir(path.join(home, "credreg"));
    const trustFile = path.join(home, "credreg", "trust.json");
    await writeFile(trustFile, JSON.stringify({ format: "credreg-trust-v1", registries: [{ chainId: "eip155:31337", address: registry, name: "Local" }] }));
    const run = await runCli(["verify", path.join(credentials, "credential-000004.json")], { cwd: work, env: { CREDREG_RPC_URL: node.url, XDG_CONFIG_HOME: home } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`Trusted registry ${registry} on eip155:31337 (trust file ${trustFile})`);
    await writeFile(trustFile, JSON.stringify({ format: "credreg-trust-v1", registries: [{ chainId: "eip155:1", address: registry }] }));
    const other = await runCli(["verify", path.join(credentials, "credential-000004.json"), "--json"], { cwd: work, env: { CREDREG_RPC_URL: node.url, XDG_CONFIG_HOME: home } });
    expect(other.code).toBe(2);
    expect(other.json.error.message).toBe("No trusted registry configured for eip155:31337; pass --registry.");
    await writeFile(trustFile, "{ nope");
    const broken = await runCli(["verify", path.join(credentials, "credential-000004.json")], { cwd: work, env: { CREDREG_RPC_URL: node.url, XDG_CONFIG_HOME: home } });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`credreg: The trust file ${trustFile} is not JSON`);
  });

  it("behavior: control and bidi characters from a credential are printed escaped, never sent to the terminal", async () => {
    const genuine = JSON.parse(await readFile(path.join(credentials, "credential-000005.json"), "utf8"));
    genuine.credentialSubject.identifier[0].identityHash = "Mallory\u001b[8m Forger\u202e\u009b2J";
    const file = path.join(work, "escape.json");
    await writeFile(file, JSON.stringify(genuine));
    const run = await runCli(["verify", file], { cwd: work, env: verifierEnv });
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/[\u001b\u202e\u009b]/);
    expect(run.stdout).toContain("(Mallory\\x1b[8m Forger\\u202e\\x9b2J, Data Analysis with Python)");
    const json = await runCli(["verify", file, "--json"], { cwd: work, env: verifierEnv });
    expect(json.stdout).not.toMatch(/[\u001b\u202e\u009b]/);
  });
});
