import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import { expect } from "vitest";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import type { LocalNode } from "../../src/devnet/startHardhatNode.ts";
import { issueBatch } from "../../src/issuer/issueBatch.ts";
import { openChain } from "../../src/chain/openChain.ts";
import { componentEvidenceOf } from "../../src/stacking/componentEvidenceOf.ts";
import { readPathway } from "../../src/stacking/readPathway.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";
import { readCredentialInput } from "../../src/verifier/readCredentialInput.ts";
import { buildPng } from "../credential/v2/badge/testPng.ts";
import { runCli } from "./runCli.ts";

// Hardhat's public development accounts (worthless anywhere but a local node): #0 governs, #1 and #2 issue.
const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ISSUER_A_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const ISSUER_B_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
export const ISSUER_A = new Wallet(ISSUER_A_KEY).address;
export const ISSUER_B = new Wallet(ISSUER_B_KEY).address;

/** A format 1 achievement with a skill no other sample has (and the highest EQF level of the corpus). */
export const MACHINE_LEARNING = {
  id: "https://demo-university.example/achievements/machine-learning",
  name: "Machine Learning Foundations",
  description: "A 6 ECTS micro-credential in supervised learning, model evaluation and their pitfalls.",
  criteria: { narrative: "Pass the assessed project and the oral exam." },
  learningOutcomes: ["Train, tune and evaluate supervised models.", "Explain a model's errors and limits."],
  workload: { hours: 150, ectsCredits: 6 },
  eqfLevel: 7,
  assessmentType: "Project and oral exam",
  participation: "online",
  qualityAssurance: "Internal quality assurance of the Faculty of Science.",
  alignment: [{ type: ["Alignment"], targetName: "machine learning", targetUrl: "http://data.europa.eu/esco/skill/test-machine-learning", targetFramework: "ESCO" }],
};

/** Where each batch's credential files are (`credential-<CSV line>.json`, and its baked badge beside it). */
export type PortfolioCorpus = {
  readonly registry: string;
  /** Demo University (A): python (recipients.csv), statistics (recipients.csv), machine learning (format 1: Ada, Alan). */
  readonly a1: string;
  readonly a2: string;
  readonly a3: string;
  /** Open College (B): sql (recipients.csv, baked PNG badges), visualisation (Ada, Alan; Ada's revoked). */
  readonly b1: string;
  readonly b2: string;
  /** Ada's stacked credential (examples/pathway.json: python, statistics, sql), issued by A. */
  readonly stacked: string;
};

/**
 * On the node: a registry, two accredited issuers, six batches and Ada Lovelace's stacked credential, as
 * {@link PortfolioCorpus} describes; A2's credential of Grace Hopper (line 4) suspended, B2's of Ada (line 2) revoked.
 */
export async function issuePortfolioCorpus(node: LocalNode, work: string): Promise<PortfolioCorpus> {
  const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments") };
  const as = (key: string, store: string) => ({ ...env, CREDREG_PRIVATE_KEY: key, CREDREG_STORE: path.join(work, store, "issuer.sqlite") });
  const governor = as(GOVERNOR_KEY, "governor");
  const step = async (args: string[], runEnv: Record<string, string>) => {
    const run = await runCli(args, { cwd: work, env: runEnv });
    expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
    return run;
  };
  await step(["deploy"], governor);
  await step(["accredit", ISSUER_A, "--name", "Demo University", "--profile-id", "https://demo-university.example/issuer"], governor);
  await step(["accredit", ISSUER_B, "--name", "Open College", "--profile-id", "https://open-college.example/issuer"], governor);
  const registry = (JSON.parse(await readFile(path.join(work, "deployments", "31337.json"), "utf8")) as { address: string }).address;
  const pair = path.join(work, "ada-alan.csv");
  await writeFile(pair, "name,email\nAda Lovelace,ada@example.org\nAlan Turing,alan@example.org\n");
  const ml = path.join(work, "machine-learning.json");
  await writeFile(ml, JSON.stringify(MACHINE_LEARNING));
  const png = path.join(work, "badge.png");
  await writeFile(png, buildPng(128, 128));
  const [a, b] = [as(ISSUER_A_KEY, "a"), as(ISSUER_B_KEY, "b")];
  const issue = async (name: string, input: string, achievement: string, issuerEnv: Record<string, string>, extra: string[] = []) => {
    await step(["issue", "--input", input, "--achievement", path.resolve(achievement), "--out", path.join(work, name), ...extra], issuerEnv);
    return path.join(work, name, "credentials");
  };
  const recipients = path.resolve("examples/recipients.csv");
  const a1 = await issue("a1", recipients, "examples/achievement.json", a);
  const a2 = await issue("a2", recipients, "examples/stacking/statistics.json", a);
  const a3 = await issue("a3", pair, ml, a, ["--format-version", "1"]);
  const b1 = await issue("b1", recipients, "examples/stacking/sql.json", b, ["--badge-image", png]);
  const b2 = await issue("b2", pair, "examples/stacking/visualisation.json", b);
  await step(["suspend", path.join(a2, "credential-000004.json"), "--reason", "UnderInvestigation"], a);
  await step(["revoke", path.join(b2, "credential-000002.json"), "--reason", "Misconduct"], b);

  // Ada's certificate: what `credreg stack` issues (a format 2 batch with the pathway's rule, her components named).
  const pathway = await readPathway(path.resolve("examples/pathway.json"));
  const components = await Promise.all([path.join(a1, "credential-000002.json"), path.join(a2, "credential-000002.json"), path.join(b1, "credential-000002.json")].map(async (file) => componentEvidenceOf(readCredentialInput(await readFile(file)))));
  const config = resolveConfig({ "rpc-url": node.url, store: a.CREDREG_STORE }, { CREDREG_DEPLOYMENTS_DIR: env.CREDREG_DEPLOYMENTS_DIR }, work);
  const chain = await openChain(config);
  const store = IssuerStore.open(config.store);
  try {
    store.useChain(chain.chainId.toString(), chain.genesisHash);
    const issued = await issueBatch(chain, new Wallet(ISSUER_A_KEY).connect(chain.provider), store, {
      input: { recipients: [{ name: "Ada Lovelace", email: "ada@example.org", components }] },
      achievement: { value: pathway.qualification },
      pathway: pathway.rule,
      outDir: path.join(work, "stacked"),
      confirmations: 1,
      formatVersion: 2,
    });
    expect(issued.status).toBe("issued");
  } finally {
    store.close();
    chain.close();
  }
  const stackedDir = path.join(work, "stacked", "credentials");
  const [stacked] = (await readdir(stackedDir)).filter((name) => name.endsWith(".json"));
  return { registry, a1, a2, a3, b1, b2, stacked: path.join(stackedDir, stacked!) };
}
