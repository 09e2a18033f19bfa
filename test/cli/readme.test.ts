import { cp, mkdtemp, readFile, realpath } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

let node: LocalNode;

beforeAll(async () => {
  node = await startHardhatNode();
});

afterAll(async () => {
  await node?.stop();
});

/** A README walkthrough block (`walkthrough`, `stacking`), line by line. */
async function walkthrough(name = "walkthrough"): Promise<string[]> {
  const readme = await readFile("README.md", "utf8");
  const block = new RegExp(`<!-- ${name}:begin -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${name}:end -->`).exec(readme)?.[1];
  if (block === undefined) throw new Error(`README.md has no ${name} block`);
  return block.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
}

/** Splits a shell line into words, honouring double quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

/** Runs every command of the walkthrough in `cwd`, as written; returns each command's run. */
async function runWalkthrough(cwd: string, env: Record<string, string>, name = "walkthrough") {
  const lines = await walkthrough(name);
  expect(lines.length).toBeGreaterThan(5);
  const runs: { line: string; run: Awaited<ReturnType<typeof runCli>> }[] = [];
  for (const line of lines) {
    const [first, ...rest] = words(line);
    if (first === "export") {
      const [name, value] = rest[0]!.split("=");
      env[name!] = value!;
      continue;
    }
    expect([first, rest[0]], line).toEqual(["npx", "credreg"]);
    const run = await runCli(rest.slice(1), { cwd, env });
    expect(run.code, `${line}\n${run.stderr}`).toBe(0);
    runs.push({ line, run });
  }
  return runs;
}

/** What the walkthrough leaves: one batch of 12 with one revocation, and the audit trail of exactly its six events. */
async function expectWalkthroughOutcome(cwd: string, env: Record<string, string>) {
  const batches = await runCli(["batches", "--json"], { cwd, env });
  expect(batches.json.batches).toHaveLength(1);
  const batch = await runCli(["batch", batches.json.batches[0].root, "--json"], { cwd, env });
  expect(batch.json).toMatchObject({ leafCount: 12, revoked: 1, suspended: 0 });
  // The auditor's CSV: a header row, then accreditation, the signing key's binding (format 2), anchor, revocation,
  // suspension, reinstatement, in order.
  const issuer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const csv = await runCli(["audit", "issuer", issuer, "--format", "csv"], { cwd, env });
  const rows = csv.stdout.trim().split("\r\n");
  expect(rows[0]).toBe("time,blockNumber,transactionHash,logIndex,event,issuer,root,leafIndex,reason,reasonName,actor,sender,details,final");
  expect(rows.slice(1).map((row) => row.split(",")[4])).toEqual(["IssuerAccredited", "SigningKeyAdded", "BatchAnchored", "CredentialRevoked", "CredentialSuspended", "CredentialReinstated"]);
  expect(rows[4]).toContain(",3,Misconduct,");
  const report = await runCli(["audit", "report", "--json"], { cwd, env });
  expect(report.json.report).toMatchObject({ consistent: true, foreignChanges: [], changesAfterDeactivation: [] });
  expect(report.json.report.batches).toEqual([expect.objectContaining({ root: batches.json.batches[0].root, leafCount: 12, revoked: 1, suspended: 0, batchRevoked: false })]);
  const before = await runCli(["audit", "batch", issuer, batches.json.batches[0].root, "--at", String(report.json.indexed.toBlock - 3), "--json"], { cwd, env });
  expect(before.json.state).toMatchObject({ anchored: true, revoked: 0 });
  // The badge the README shows is the one the walkthrough's credentials carry; the batch's status list is where it says.
  const credential = JSON.parse(await readFile(path.join(cwd, "issued", "credentials", "credential-000004.json"), "utf8"));
  const image = credential.credentialSubject.achievement.image.id as string;
  expect(Buffer.from(image.replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString("utf8")).toBe(await readFile("docs/badge-example.svg", "utf8"));
  const listName = credential.credentialStatus.statusListCredential.split("/").at(-1);
  expect(JSON.parse(await readFile(path.join(cwd, ".credreg", "status", listName), "utf8"))).toMatchObject({ type: ["VerifiableCredential", "BitstringStatusListCredential"] });
  return batches.json.batches[0].root as string;
}

const genesisOf = async (url: string): Promise<string> => {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: ["0x0", false] }) });
  return ((await response.json()) as { result: { hash: string } }).result.hash;
};

describe("README walkthrough", () => {
  it("default: every command of the README's credreg walkthrough works as written (against a fresh local node)", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "credreg-readme-"));
    await cp("examples", path.join(cwd, "examples"), { recursive: true });
    const env: Record<string, string> = { CREDREG_RPC_URL: node.url };
    await runWalkthrough(cwd, env);
    await expectWalkthroughOutcome(cwd, env);

    // The Stacking section's block, continuing in the same folder: a second issuer, and Grace Hopper's certificate.
    const stacking = await runWalkthrough(cwd, env, "stacking");
    const verified = stacking.find(({ line }) => line.includes("verify stacked/"))!.run;
    const portfolio = stacking.find(({ line }) => line.includes("--portfolio"))!.run;
    // The employer's view of every file of the walkthrough: Grace Hopper's four credentials counted, the others apart.
    expect(portfolio.stdout).toContain("Portfolio of Grace Hopper (as named by --holder-name)\n  4 credentials counted: 3 achievements, 1 qualification\n  Total credits: 14 ECTS (each achievement once)\n  Highest EQF level: 6");
    expect(portfolio.stdout).toMatch(/Qualifications completed \(1\):\n {4}Certificate in Applied Data Science: 13 ECTS, EQF 6, pathway https:\/\/demo-university\.example\/pathways\/data-science-certificate: Data Analysis with Python, Applied Statistics, SQL for Analysts/);
    expect(portfolio.stdout).toMatch(/Other holders' credentials \(32\):/);
    expect(portfolio.stdout).toMatch(/Not valid, or could not be verified \(1\):\n {2}✘ issued\/credentials\/credential-000002\.json: NOT VALID at status: Revoked/);
    expect(verified.stdout).toMatch(/components +All 3 components valid; pathway https:\/\/demo-university\.example\/pathways\/data-science-certificate holds: 3 of 4 counted \(3 required\), 14 ECTS \(at least 13\)\./);
    expect(verified.stdout).toMatch(/VALID/);
    const certificate = JSON.parse(await readFile(path.join(cwd, "stacked", "credentials", "credential-000000.json"), "utf8"));
    expect(certificate.credentialSubject.achievement.name).toBe("Certificate in Applied Data Science");
    expect(certificate.credentialSubject.identifier.find((identity: { identityType: string }) => identity.identityType === "name").identityHash).toBe("Grace Hopper");
  });

  it("behavior: after a chain reset (the node restarted on the same port), the walkthrough runs again as written with the same folder and store, and says once what happened", async () => {
    // A fresh chain for this test (the walkthrough deploys at the first address of a new chain).
    await node.stop();
    node = await startHardhatNode();
    const cwd = await mkdtemp(path.join(tmpdir(), "credreg-readme-reset-"));
    await cp("examples", path.join(cwd, "examples"), { recursive: true });
    const env: Record<string, string> = { CREDREG_RPC_URL: node.url };
    const first = await runWalkthrough(cwd, env);
    expect(first.map(({ run }) => run.stderr).join("")).not.toContain("was reset");
    const firstRoot = await expectWalkthroughOutcome(cwd, env);
    const oldGenesis = await genesisOf(node.url);

    // `npm run node` stopped and started again: the same port, a new chain with the same id.
    const port = node.port;
    await node.stop();
    node = await startHardhatNode({ port });
    const newGenesis = await genesisOf(node.url);
    expect(newGenesis).not.toBe(oldGenesis);

    // Before deploying again, the deployments file names a block the chain no longer has: one sentence says so.
    const stale = await runCli(["batches"], { cwd, env });
    expect(stale.code).toBe(2);
    expect(stale.stderr.split("\n")[0]).toBe(
      `credreg: The registry recorded in ${path.join(await realpath(cwd), "deployments", "31337.json")} was deployed in block 1 (${JSON.parse(await readFile(path.join(cwd, "deployments", "31337.json"), "utf8")).blockHash.slice(0, 10)}…), which chain 31337 no longer has: the chain was reset, so deploy again with credreg deploy.`,
    );

    const second = await runWalkthrough(cwd, env);
    // The first command that opens the store on the new chain says what happened, in one sentence; none after it.
    // Six transactions: the anchor, the signing key bound on first use (format 2), and four status changes.
    const notices = second.flatMap(({ line, run }) => run.stderr.split("\n").filter((text) => text !== "").map((text) => ({ line, text })));
    expect(notices).toEqual([
      {
        line: expect.stringContaining("credreg accredit"),
        text: `credreg: Chain 31337 was reset (its genesis block is now ${newGenesis.slice(0, 10)}…, was ${oldGenesis.slice(0, 10)}…): the store keeps the vanished chain's 1 batch and 6 transactions apart, and new work starts afresh on this chain.`,
      },
    ]);
    // A new batch on the new chain (not the vanished chain's one resumed), and an audit trail of the new chain only.
    const secondRoot = await expectWalkthroughOutcome(cwd, env);
    expect(secondRoot).not.toBe(firstRoot);
  });
});
