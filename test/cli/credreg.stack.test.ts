import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

// `credreg stack` on a real node: a 3-of-4 pathway (examples/pathway.json) whose components come from two accredited
// issuers; the stacked credential verifies with a `components` step; a component revoked later makes it NOT VALID,
// naming the component and why (and --at before the revocation still says valid); stacking refuses another holder's
// component, an unmet rule and a component that is not valid now, anchoring nothing.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const UNIVERSITY_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // Hardhat development accounts (funded on a local node only)
const COLLEGE_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

type Json = Record<string, any>;

let node: LocalNode;
let work: string;
let env: Record<string, string>;
let verifierEnv: Record<string, string>;
/** Each holder's credential file per achievement file name (python, statistics, sql, visualisation). */
const files: Record<string, Record<string, string>> = { ada: {}, grace: {} };

const university = () => ({ ...env, CREDREG_PRIVATE_KEY: UNIVERSITY_KEY });
const college = () => ({ ...env, CREDREG_PRIVATE_KEY: COLLEGE_KEY });

async function issue(name: string, achievement: string, issuerEnv: Record<string, string>): Promise<void> {
  const out = path.join(work, "issued", name);
  const issued = await runCli(["issue", "--input", path.join(work, "recipients.json"), "--achievement", path.resolve(achievement), "--out", out, "--json"], { cwd: work, env: issuerEnv });
  expect(issued.code, issued.stderr).toBe(0);
  const folder = path.join(out, "credentials");
  for (const file of (await readdir(folder)).filter((entry) => entry.endsWith(".json"))) {
    const credential = JSON.parse(await readFile(path.join(folder, file), "utf8")) as Json;
    const holder = credential.credentialSubject.identifier.find((identity: Json) => identity.identityType === "name").identityHash as string;
    files[holder.startsWith("Ada") ? "ada" : "grace"]![name] = path.join(folder, file);
  }
}

beforeAll(async () => {
  node = await startHardhatNode();
  work = await mkdtemp(path.join(tmpdir(), "credreg-stack-"));
  env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_STORE: path.join(work, "issuer.sqlite") };
  const governor = { ...env, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
  expect((await runCli(["deploy"], { cwd: work, env: governor })).code).toBe(0);
  for (const [key, name, profile] of [
    [UNIVERSITY_KEY, "Demo University", "https://demo-university.example/issuer"],
    [COLLEGE_KEY, "Open College", "https://open-college.example/issuer"],
  ] as const) {
    const accredited = await runCli(["accredit", new Wallet(key).address, "--name", name, "--profile-id", profile], { cwd: work, env: governor });
    expect(accredited.code, accredited.stderr).toBe(0);
  }
  await writeFile(path.join(work, "recipients.json"), JSON.stringify([{ name: "Ada Lovelace", email: "ada@example.org" }, { name: "Grace Hopper", email: "grace@example.org" }]));
  await issue("python", "examples/achievement.json", university());
  await issue("statistics", "examples/stacking/statistics.json", university());
  await issue("sql", "examples/stacking/sql.json", college());
  await issue("visualisation", "examples/stacking/visualisation.json", college());
  const registry = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address as string;
  verifierEnv = { CREDREG_RPC_URL: node.url, CREDREG_TRUSTED_REGISTRIES: registry };
}, 240_000);

afterAll(async () => {
  await node?.stop();
});

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function stack(out: string, holder: string[], components: string[]) {
  return runCli(["stack", "--pathway", path.resolve("examples/pathway.json"), "--out", path.join(work, out), ...holder, "--components", ...components, "--json"], { cwd: work, env: university() });
}

async function stackedFile(out: string): Promise<string> {
  const folder = path.join(work, out, "credentials");
  const [file] = (await readdir(folder)).filter((entry) => entry.endsWith(".json"));
  return path.join(folder, file!);
}

describe("credreg stack", () => {
  let stacked: string;

  it("default: three of four components from two issuers stack into one credential that verifies, its components step naming them", async () => {
    const ada = files.ada!;
    const result = await stack("stacked", ["--holder-name", "Ada Lovelace", "--holder-email", "ada@example.org"], [ada.python!, ada.sql!, ada.statistics!]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ status: "issued", leafCount: 1, formatVersion: 2 });
    // Counted in the pathway's order, whatever the order given.
    expect(result.json.holders[0].components.map((component: Json) => component.name)).toEqual(["Data Analysis with Python", "Applied Statistics", "SQL for Analysts"]);
    stacked = await stackedFile("stacked");
    const credential = JSON.parse(await readFile(stacked, "utf8")) as Json;
    expect(credential.credentialSubject.achievement).toMatchObject({ achievementType: "Certificate", name: "Certificate in Applied Data Science", pathway: { required: 3, minCredits: 13 } });
    const components = credential.evidence.filter((entry: Json) => entry.type.includes("CredregComponent2026"));
    expect(components.map((entry: Json) => entry.anchor.issuer)).toEqual([new Wallet(UNIVERSITY_KEY).address, new Wallet(UNIVERSITY_KEY).address, new Wallet(COLLEGE_KEY).address]);
    const verified = await runCli(["verify", stacked, "--json"], { cwd: work, env: verifierEnv });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const step = verified.json.results[0].steps.find((candidate: Json) => candidate.name === "components");
    expect(step.status).toBe("passed");
    expect(step.message).toMatch(/^All 3 components valid; pathway https:\/\/demo-university\.example\/pathways\/data-science-certificate holds: 3 of 4 counted \(3 required\), 14 ECTS \(at least 13\)\.$/);
    expect(step.details.components.map((component: Json) => component.status)).toEqual(["valid", "valid", "valid"]);
    // A plain micro-credential's components step is skipped and not required.
    const plain = await runCli(["verify", ada.python!, "--json"], { cwd: work, env: verifierEnv });
    expect(plain.code).toBe(0);
    expect(plain.json.results[0].steps.find((candidate: Json) => candidate.name === "components")).toMatchObject({ status: "skipped", message: "Not a stacked credential: it names no components." });
  });

  it("error: another holder's component, an unmet rule, a wrong e-mail: refused with the reason, nothing anchored", async () => {
    const { ada, grace } = files as { ada: Record<string, string>; grace: Record<string, string> };
    const cases: [string, string[], string[], RegExp][] = [
      ["another holder", ["--holder-name", "Ada Lovelace"], [ada.python!, grace.sql!, ada.statistics!], /sql.* was issued to "Grace Hopper", not to "Ada Lovelace"/],
      ["rule not met", ["--holder-name", "Ada Lovelace"], [ada.python!, ada.statistics!], /the pathway's rule does not hold: 2 of the 3 components the pathway requires/],
      ["wrong e-mail", ["--holder-email", "eve@example.org"], [ada.python!, ada.sql!, ada.statistics!], /was not issued to eve@example\.org/],
      ["the same credential twice", ["--holder-name", "Ada Lovelace"], [ada.python!, ada.python!, ada.sql!], /is the same credential as/],
    ];
    for (const [name, holder, components, message] of cases) {
      const out = `refused-${name.replaceAll(" ", "-")}`;
      const result = await stack(out, holder, components);
      expect(result.code, `${name}: ${result.stdout}${result.stderr}`).toBe(1);
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr, name).toMatch(/nothing was anchored/);
      expect(result.stderr, name).not.toMatch(STACK_FRAME);
      expect(existsSync(path.join(work, out, "credentials")), name).toBe(false);
    }
  });

  it("behavior: --input stacks many holders from a CSV in one batch; a bulk verification on worker threads checks every stacked credential's components", async () => {
    const { ada, grace } = files as { ada: Record<string, string>; grace: Record<string, string> };
    const rel = (file: string) => path.relative(work, file);
    await writeFile(path.join(work, "holders.csv"), `name,email,components\nAda Lovelace,ada@example.org,${rel(ada.python!)};${rel(ada.statistics!)};${rel(ada.sql!)}\nGrace Hopper,,${rel(grace.python!)} ; ${rel(grace.sql!)};${rel(grace.visualisation!)}\n`);
    const result = await runCli(["stack", "--pathway", path.resolve("examples/pathway.json"), "--input", path.join(work, "holders.csv"), "--out", path.join(work, "stacked-many"), "--json"], { cwd: work, env: university() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json.leafCount).toBe(2);
    expect(result.json.holders.map((holder: Json) => [holder.name, holder.components.map((component: Json) => component.name)])).toEqual([
      ["Ada Lovelace", ["Data Analysis with Python", "Applied Statistics", "SQL for Analysts"]],
      ["Grace Hopper", ["Data Analysis with Python", "SQL for Analysts", "Data Visualisation"]],
    ]);
    // 600 stacked files (copies of the two) verified in bulk on worker threads: each thread gets its components' facts.
    const folder = path.join(work, "many-stacked");
    await mkdir(folder);
    const credentials = path.join(work, "stacked-many", "credentials");
    const stackedFiles = (await readdir(credentials)).filter((name) => name.endsWith(".json"));
    for (let copy = 0; copy < 300; copy += 1) for (const name of stackedFiles) await copyFile(path.join(credentials, name), path.join(folder, `${copy}-${name}`));
    const bulk = await runCli(["verify", folder, "--threads", "2", "--json"], { cwd: work, env: verifierEnv });
    expect(bulk.code, bulk.stdout.slice(0, 2000)).toBe(0);
    expect(bulk.json.summary).toMatchObject({ total: 600, valid: 600 });
    const steps = bulk.json.results.map((entry: Json) => entry.steps.find((step: Json) => step.name === "components"));
    expect(steps.every((step: Json) => step.status === "passed" && step.details.components.length === 3)).toBe(true);
  });

  it("behavior: a component revoked later makes the stacked credential NOT VALID, naming it and why; --at before the revocation still says valid", async () => {
    const before = await runCli(["batches", "--json"], { cwd: work, env: college() });
    expect(before.code, before.stderr).toBe(0);
    const blockBefore = (await (await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }) })).json()) as { result: string };
    const revoked = await runCli(["revoke", files.ada!.sql!, "--reason", "Misconduct"], { cwd: work, env: college() });
    expect(revoked.code, revoked.stderr).toBe(0);

    const now = await runCli(["verify", stacked, "--json"], { cwd: work, env: verifierEnv });
    expect(now.code).toBe(1);
    const result = now.json.results[0];
    expect(result.status).toBe("invalid");
    const step = result.steps.find((candidate: Json) => candidate.name === "components");
    expect(step.status).toBe("failed");
    expect(step.message).toMatch(/^1 of 3 components is not valid: SQL for Analysts \(urn:uuid:[0-9a-f-]+\): status: Revoked at .* for reason 3 \(Misconduct/);
    expect(step.details.components.map((component: Json) => component.status)).toEqual(["valid", "valid", "invalid"]);
    const text = await runCli(["verify", stacked], { cwd: work, env: verifierEnv });
    expect(text.stdout).toMatch(/NOT VALID/);
    expect(text.stdout).toMatch(/SQL for Analysts/);

    const then = await runCli(["verify", stacked, "--at", String(Number(blockBefore.result)), "--json"], { cwd: work, env: verifierEnv });
    expect(then.code, then.stdout).toBe(0);

    // Stacking again with the revoked component is refused.
    const again = await stack("stacked-again", ["--holder-name", "Ada Lovelace"], [files.ada!.python!, files.ada!.sql!, files.ada!.statistics!]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/sql.* is not valid now \(status: Revoked/);
  });
});
