import { cp, mkdtemp, readFile } from "node:fs/promises";
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

/** The README's walkthrough block, line by line. */
async function walkthrough(): Promise<string[]> {
  const readme = await readFile("README.md", "utf8");
  const block = /<!-- walkthrough:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme)?.[1];
  if (block === undefined) throw new Error("README.md has no walkthrough block");
  return block.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
}

/** Splits a shell line into words, honouring double quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
}

describe("README walkthrough", () => {
  it("default: every command of the README's credreg walkthrough works as written (against a fresh local node)", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "credreg-readme-"));
    await cp("examples", path.join(cwd, "examples"), { recursive: true });
    const env: Record<string, string> = { CREDREG_RPC_URL: node.url };
    const lines = await walkthrough();
    expect(lines.length).toBeGreaterThan(5);
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
    }
    const batches = await runCli(["batches", "--json"], { cwd, env });
    expect(batches.json.batches).toHaveLength(1);
    const batch = await runCli(["batch", batches.json.batches[0].root, "--json"], { cwd, env });
    expect(batch.json).toMatchObject({ leafCount: 12, revoked: 1, suspended: 0 });
    // The auditor's CSV: a header row, then accreditation, anchor, revocation, suspension, reinstatement, in order.
    const issuer = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const csv = await runCli(["audit", "issuer", issuer, "--format", "csv"], { cwd, env });
    const rows = csv.stdout.trim().split("\r\n");
    expect(rows[0]).toBe("time,blockNumber,transactionHash,logIndex,event,issuer,root,leafIndex,reason,reasonName,actor,sender,details,final");
    expect(rows.slice(1).map((row) => row.split(",")[4])).toEqual(["IssuerAccredited", "BatchAnchored", "CredentialRevoked", "CredentialSuspended", "CredentialReinstated"]);
    expect(rows[3]).toContain(",3,Misconduct,");
    const report = await runCli(["audit", "report", "--json"], { cwd, env });
    expect(report.json.report).toMatchObject({ consistent: true, foreignChanges: [], changesAfterDeactivation: [] });
    expect(report.json.report.batches).toEqual([expect.objectContaining({ leafCount: 12, revoked: 1, suspended: 0, batchRevoked: false })]);
    const before = await runCli(["audit", "batch", issuer, batches.json.batches[0].root, "--at", String(report.json.indexed.toBlock - 3), "--json"], { cwd, env });
    expect(before.json.state).toMatchObject({ anchored: true, revoked: 0 });
  });
});
