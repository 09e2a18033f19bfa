import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Contract, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { keyRegistryAddressOf } from "../../src/chain/keyRegistryAddressOf.ts";
import { keyRegistryInterface } from "../../src/chain/keyRegistryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { signingKeyIdOf } from "../../src/credential/v2/signingKeyIdOf.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

// `credreg verify` on format 2 files as `credreg issue` writes them by default (signed OB 3.0, then anchored): genuine
// files verify; each tampered copy fails, exit 1, naming the step that refused it; nothing ever prints a stack trace.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"; // a Hardhat development account (funded on a local node only)
const ISSUER = new Wallet(ISSUER_KEY).address;

type Json = Record<string, any>;

let node: LocalNode;
let work: string;
let credentials: string;
let verifierEnv: Record<string, string>;
let genuine: Json[];
let registry: string;

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-verify-v2-"));
  const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_STORE: path.join(work, "issuer.sqlite") };
  const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  const deployed = await runCli(["deploy"], { cwd: work, env: governor });
  expect(deployed.code, deployed.stderr).toBe(0);
  const accredited = await runCli(["accredit", ISSUER, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], { cwd: work, env: governor });
  expect(accredited.code, accredited.stderr).toBe(0);
  // No --format-version: format 2, its signing key derived from the issuer's key and bound on first use.
  const issued = await runCli(["issue", "--input", path.resolve("examples/recipients.csv"), "--achievement", path.resolve("examples/achievement.json"), "--out", path.join(work, "out"), "--json"], {
    cwd: work,
    env: { ...env, CREDREG_PRIVATE_KEY: ISSUER_KEY },
  });
  expect(issued.code, issued.stderr).toBe(0);
  expect(issued.json.formatVersion).toBe(2);
  credentials = path.join(work, "out", "credentials");
  const names = (await readdir(credentials)).filter((name) => name.endsWith(".json")).sort();
  genuine = await Promise.all(names.map(async (name) => JSON.parse(await readFile(path.join(credentials, name), "utf8")) as Json));
  registry = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address as string;
  verifierEnv = { CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: registry };
});

afterAll(async () => {
  await node?.stop();
});

/** A stack frame as Node prints one (`    at fn (file:line:col)`). */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** Tampered copies of genuine files, each with the step that must refuse it and the start of that step's message. */
function tamperedCopies(): { name: string; credential: Json; step: string; message: RegExp }[] {
  const [first, second] = [genuine[0]!, genuine[1]!];
  const copy = () => structuredClone(first);
  const altered = (change: (credential: Json) => void) => {
    const credential = copy();
    change(credential);
    return credential;
  };
  const ALTERED = /^The file was altered after issuance/;
  return [
    { name: "changed-name", credential: altered((credential) => (credential.name = "Master of Everything")), step: "integrity", message: ALTERED },
    { name: "changed-achievement", credential: altered((credential) => (credential.credentialSubject.achievement.name = "Brain Surgery")), step: "integrity", message: ALTERED },
    { name: "changed-validFrom", credential: altered((credential) => (credential.validFrom = "2020-01-01T00:00:00Z")), step: "integrity", message: ALTERED },
    { name: "swapped-proofValue", credential: altered((credential) => (credential.proof[0].proofValue = second.proof[0].proofValue)), step: "integrity", message: ALTERED },
    { name: "signature-removed", credential: altered((credential) => (credential.proof = [credential.proof[1]])), step: "format", message: /^Not a credential of this format: .*\$\.proof/ },
    { name: "anchor-proof-removed", credential: altered((credential) => (credential.proof = [credential.proof[0]])), step: "format", message: /^Not a credential of this format: .*\$\.proof/ },
    { name: "anchor-proof-of-another", credential: altered((credential) => (credential.proof[1] = structuredClone(second.proof[1]))), step: "format", message: /^Not a credential of this format: .*\$\.proof\[1\]\.previousProof: must be the id of the signature/ },
    {
      // The other credential's anchor proof, made to chain to this signature and index: the leaf is still the other's.
      name: "anchor-proof-of-another-rechained",
      credential: altered((credential) => {
        credential.proof[1] = { ...structuredClone(second.proof[1]), previousProof: credential.proof[0].id };
        credential.credentialStatus.statusListIndex = String(second.proof[1].leafIndex);
        credential.credentialStatus.id = `${credential.credentialStatus.statusListCredential}#${second.proof[1].leafIndex}`;
      }),
      step: "integrity",
      message: ALTERED,
    },
    { name: "changed-context", credential: altered((credential) => (credential["@context"] = [...credential["@context"].slice(0, 2), "https://evil.example/context.json"])), step: "format", message: /^Not a credential of this format: 1 problem, first \$\["@context"\]\[2\]: Invalid input: expected "https:\/\/w3id\.org\/credreg\/v2"\.$/ },
  ];
}

describe("credreg verify (format 2)", () => {
  it("default: the freshly issued format 2 files are valid, the signature step passed for each; exit 0", async () => {
    expect(genuine.length).toBe(12);
    expect(genuine.every((credential) => Array.isArray(credential.proof) && credential.proof[0].type === "DataIntegrityProof")).toBe(true);
    const text = await runCli(["verify", path.join(credentials, "credential-000002.json")], { cwd: work, env: verifierEnv });
    expect(text.code, text.stderr).toBe(0);
    for (const step of ["format", "integrity", "inclusion", "anchor", "issuer", "signature", "status", "validity", "chain"]) expect(text.stdout).toMatch(new RegExp(`  ✔ ${step}`));
    expect(text.stdout).toMatch(/ {2}✔ format {4}A W3C VC 2\.0 \/ Open Badges 3\.0 micro-credential \(format 2\): an eddsa-rdfc-2022 signature and a CredregAnchorProof2026 proof\./);
    expect(text.stdout).toMatch(/ {2}✔ signature Signed by the issuer's key 0x[0-9a-f]{8}…, bound to 0x[0-9a-fA-F]{40} since .* \(before the anchor\)\./);
    expect(text.stdout).toContain("  VALID");
    const all = await runCli(["verify", credentials, "--json"], { cwd: work, env: verifierEnv });
    expect(all.code, all.stderr).toBe(0);
    expect(all.json.summary).toMatchObject({ total: 12, valid: 12, invalid: 0, error: 0 });
    for (const result of all.json.results) {
      expect(result.status).toBe("valid");
      expect(result.steps.find((step: { name: string }) => step.name === "signature")).toMatchObject({ status: "passed", details: { boundTo: ISSUER } });
    }
  });

  it("error: every tampered copy exits 1, NOT VALID at the step that refused it; never a stack trace", async () => {
    const dir = path.join(work, "tampered");
    await mkdir(dir);
    const copies = tamperedCopies();
    await Promise.all(copies.map(({ name, credential }) => writeFile(path.join(dir, `${name}.json`), JSON.stringify(credential, null, 2))));
    const runs = await Promise.all(copies.map(({ name }) => runCli(["verify", path.join(dir, `${name}.json`)], { cwd: work, env: verifierEnv })));
    copies.forEach(({ name, step, message }, position) => {
      const run = runs[position]!;
      expect(run.code, `${name}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(run.stdout, name).not.toContain("  VALID");
      expect(run.stdout, name).toContain("  NOT VALID");
      const line = run.stdout.split("\n").find((entry) => entry.startsWith(`  ✘ ${step.padEnd(9)} `));
      expect(line, `${name} fails at ${step}: ${run.stdout}`).toBeDefined();
      expect(line!.slice(`  ✘ ${step.padEnd(9)} `.length), name).toMatch(message);
      expect(run.stdout.split("\n").filter((entry) => entry.startsWith("  ✘ ")), `${name}: one step failed`).toHaveLength(1);
      expect(run.stderr, name).not.toMatch(STACK_FRAME);
    });
  });

  it("behavior: the same copies together: each named with its step, summarised by step, exit 1; --json says the same", async () => {
    const dir = path.join(work, "tampered-together");
    await mkdir(dir);
    const copies = tamperedCopies();
    await Promise.all(copies.map(({ name, credential }) => writeFile(path.join(dir, `${name}.json`), JSON.stringify(credential))));
    const [text, json] = await Promise.all([runCli(["verify", dir], { cwd: work, env: verifierEnv }), runCli(["verify", dir, "--json"], { cwd: work, env: verifierEnv })]);
    expect(text.code).toBe(1);
    expect(json.code).toBe(1);
    // Ten files or fewer: every step of each is printed, in a block that starts with the file's path.
    const blocks = text.stdout.split("\n\n");
    for (const { name, step } of copies) {
      const block = blocks.find((entry) => entry.split("\n").some((line) => line.startsWith(path.join(dir, `${name}.json`))));
      expect(block, name).toBeDefined();
      expect(block!.split("\n").filter((line) => line.startsWith("  ✘ ")).map((line) => line.slice(4, 13).trim()), name).toEqual([step]);
      expect(block, name).toMatch(/\n {2}NOT VALID$/);
    }
    expect(text.stdout.trim().split("\n").at(-1)).toBe(`${copies.length} credentials: 0 valid, ${copies.length} not valid (5 at integrity, 4 at format), 0 could not be verified.`);
    const byStep = Object.fromEntries(["format", "integrity"].map((step) => [step, copies.filter((copy) => copy.step === step).length]));
    expect(json.json.summary).toMatchObject({ total: copies.length, valid: 0, invalid: copies.length, error: 0, invalidByStep: byStep });
    for (const result of json.json.results) {
      const expected = copies.find((copy) => `${copy.name}.json` === path.basename(result.source))!;
      expect(result.status, expected.name).toBe("invalid");
      expect(result.steps.filter((step: { status: string }) => step.status === "failed").map((step: { name: string }) => step.name), expected.name).toEqual([expected.step]);
    }
    expect(text.stderr).not.toMatch(STACK_FRAME);
    expect(json.stderr).not.toMatch(STACK_FRAME);
  });

  // Last: it changes the chain the other tests verify against.
  it("error: once the issuer's signing key is revoked as compromised from before the anchor, the genuine files are NOT VALID at signature", async () => {
    const keyId = signingKeyIdOf(genuine[0]!.issuer.id)!;
    const { provider } = await connectRpc(node.url, { pollingIntervalMs: 20 });
    try {
      const keys = new Contract(keyRegistryAddressOf(registry), keyRegistryInterface, new Wallet(ISSUER_KEY, provider));
      const record = await keys.getFunction("signingKey")(keyId);
      expect(record.issuer).toBe(ISSUER);
      await sendRegistryTransaction(keys, "revokeSigningKey", [keyId, record.addedAt, 4]);
    } finally {
      provider.destroy();
    }
    const run = await runCli(["verify", path.join(credentials, "credential-000002.json")], { cwd: work, env: verifierEnv });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\n {2}✘ signature The signing key was revoked as compromised since .*; this batch was anchored after that \(.*\)\.\n/);
    expect(run.stdout.split("\n").filter((line) => line.startsWith("  ✘ "))).toHaveLength(1);
    expect(run.stdout).toContain("  NOT VALID");
    expect(run.stderr).not.toMatch(STACK_FRAME);
    const all = await runCli(["verify", credentials, "--json"], { cwd: work, env: verifierEnv });
    expect(all.code).toBe(1);
    expect(all.json.summary).toMatchObject({ total: 12, valid: 0, invalid: 12, error: 0, invalidByStep: { signature: 12 } });
  });
});
