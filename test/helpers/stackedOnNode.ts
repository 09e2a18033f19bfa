import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { expect } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { type CliRun, runCli } from "./runCli.ts";

// A stacked credential on a real node, made with the command line as an issuer would (the set-up of
// test/cli/credreg.stack.test.ts): a registry, two accredited issuers (Demo University: the Python and Statistics
// micro-credentials; Open College: SQL and Visualisation), one batch per achievement for Ada Lovelace and Grace
// Hopper, and Ada's "Certificate in Applied Data Science" stacked by Demo University from three of her four
// (examples/pathway.json).
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const UNIVERSITY_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"; // Hardhat development accounts (funded on a local node only)
const COLLEGE_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

export const UNIVERSITY = new Wallet(UNIVERSITY_KEY).address;
export const COLLEGE = new Wallet(COLLEGE_KEY).address;

type Achievement = "python" | "statistics" | "sql" | "visualisation";

export type StackedOnNode = {
  readonly node: LocalNode;
  /** The folder the commands ran in (deployments/, the issuers' store). */
  readonly work: string;
  readonly registry: string;
  /** Environment of the issuers' commands (no key): the node, the deployments and the issuers' store. */
  readonly env: Record<string, string>;
  /** Ada's component credential files, by achievement: python, statistics, sql, visualisation. */
  readonly components: Readonly<Record<Achievement, string>>;
  /** Grace Hopper's credential files, in the same batches as Ada's. */
  readonly others: Readonly<Record<Achievement, string>>;
  /** The stacked credential's file (of python, statistics and sql) and its text. */
  readonly stacked: string;
  readonly stackedText: string;
  /** Runs `credreg ...args` as Demo University or Open College. */
  readonly asUniversity: (args: string[]) => Promise<CliRun>;
  readonly asCollege: (args: string[]) => Promise<CliRun>;
};

/** Starts a node and makes the stacked credential; the caller stops the node. */
export async function stackedOnNode(): Promise<StackedOnNode> {
  const node = await startHardhatNode();
  const work = await mkdtemp(path.join(tmpdir(), "credreg-stacked-"));
  const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_STORE: path.join(work, "issuer.sqlite") };
  const run = async (key: string, args: string[]) => runCli(args, { cwd: work, env: { ...env, CREDREG_PRIVATE_KEY: key } });
  const ok = async (key: string, args: string[]) => {
    const result = await run(key, args);
    expect(result.code, `credreg ${args.join(" ")}: ${result.stderr}`).toBe(0);
    return result;
  };
  await ok(GOVERNOR_KEY, ["deploy"]);
  await ok(GOVERNOR_KEY, ["accredit", UNIVERSITY, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"]);
  await ok(GOVERNOR_KEY, ["accredit", COLLEGE, "--name", "Open College", "--profile-id", "https://open-college.example/issuer"]);
  await writeFile(path.join(work, "recipients.json"), JSON.stringify([{ name: "Ada Lovelace", email: "ada@example.org" }, { name: "Grace Hopper", email: "grace@example.org" }]));
  const components = {} as Record<Achievement, string>;
  const others = {} as Record<Achievement, string>;
  const issue = async (key: string, name: Achievement, achievement: string) => {
    const out = path.join(work, "issued", name);
    await ok(key, ["issue", "--input", path.join(work, "recipients.json"), "--achievement", path.resolve(achievement), "--out", out, "--json"]);
    // One file per recipient: told apart by the holder's name identity.
    for (const file of (await readdir(path.join(out, "credentials"))).filter((entry) => entry.endsWith(".json"))) {
      const credential = JSON.parse(await readFile(path.join(out, "credentials", file), "utf8")) as { credentialSubject: { identifier: { identityType: string; identityHash: string }[] } };
      const holder = credential.credentialSubject.identifier.find((identity) => identity.identityType === "name")!.identityHash;
      (holder === "Ada Lovelace" ? components : others)[name] = path.join(out, "credentials", file);
    }
  };
  await issue(UNIVERSITY_KEY, "python", "examples/achievement.json");
  await issue(UNIVERSITY_KEY, "statistics", "examples/stacking/statistics.json");
  await issue(COLLEGE_KEY, "sql", "examples/stacking/sql.json");
  await issue(COLLEGE_KEY, "visualisation", "examples/stacking/visualisation.json");
  const out = path.join(work, "stacked");
  await ok(UNIVERSITY_KEY, ["stack", "--pathway", path.resolve("examples/pathway.json"), "--out", out, "--holder-name", "Ada Lovelace", "--holder-email", "ada@example.org", "--components", components.python, components.sql, components.statistics, "--json"]);
  const [file] = (await readdir(path.join(out, "credentials"))).filter((entry) => entry.endsWith(".json"));
  const stacked = path.join(out, "credentials", file!);
  const registry = JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")).address as string;
  return {
    node,
    work,
    registry,
    env,
    components,
    others,
    stacked,
    stackedText: await readFile(stacked, "utf8"),
    asUniversity: (args) => run(UNIVERSITY_KEY, args),
    asCollege: (args) => run(COLLEGE_KEY, args),
  };
}
