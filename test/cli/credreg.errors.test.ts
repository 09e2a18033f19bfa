import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
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

describe("credreg error sentences", () => {
  it("error: deploy with an unfunded key prints one sentence (exit 2), never the raw transaction or the RPC URL", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "credreg-errors-cli-"));
    const key = Wallet.createRandom();
    const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_PRIVATE_KEY: key.privateKey };
    const sentence = `The account ${key.address} has too little ETH to pay for this transaction on chain 31337: fund it, then run the command again.`;

    const text = await runCli(["deploy"], { cwd: work, env });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).toBe(`credreg: ${sentence}\n`);
    for (const leak of ["coalesce", "0x02f8", node.url, "127.0.0.1"]) expect(text.stderr).not.toContain(leak);

    const json = await runCli(["deploy", "--json"], { cwd: work, env });
    expect(json.code, json.stderr).toBe(2);
    expect(json.json.error).toMatchObject({ code: "InsufficientFunds", exitCode: 2, message: sentence });
    for (const leak of ["coalesce", "0x02f8", node.url]) expect(json.stdout).not.toContain(leak);
  });

  it("error: a wrong --chain-id is the same error and exit code 2 in deploy as in every other command", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "credreg-errors-cli-"));
    const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: path.join(work, "deployments"), CREDREG_PRIVATE_KEY: Wallet.createRandom().privateKey };
    const deploy = await runCli(["deploy", "--chain-id", "1"], { cwd: work, env });
    const batches = await runCli(["batches", "--chain-id", "1"], { cwd: work, env });
    expect(deploy.code, deploy.stderr).toBe(2);
    expect(batches.code, batches.stderr).toBe(2);
    expect(deploy.stderr).toContain("serves chain 31337, not the configured chain 1");
    expect(deploy.stderr).toBe(batches.stderr);
    const deployJson = await runCli(["deploy", "--chain-id", "1", "--json"], { cwd: work, env });
    const batchesJson = await runCli(["batches", "--chain-id", "1", "--json"], { cwd: work, env });
    expect(deployJson.json.error).toEqual(batchesJson.json.error);
    expect(deployJson.json.error).toMatchObject({ code: "WrongChainError", exitCode: 2 });
  });
});
