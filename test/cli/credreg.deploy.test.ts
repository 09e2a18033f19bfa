import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { runCli } from "../helpers/runCli.ts";

const GOVERNOR_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const GOVERNOR = new Wallet(GOVERNOR_KEY).address;
const ACCREDITOR = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

let node: LocalNode;

beforeAll(async () => {
  node = await startHardhatNode();
});

afterAll(async () => {
  await node?.stop();
});

describe("credreg deploy", () => {
  it("behavior: killed between the deployment and the role grants, the rerun finishes that contract instead of deploying another", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "credreg-deploy-cli-"));
    const deployments = path.join(work, "deployments");
    const env = { CREDREG_RPC_URL: node.url, CREDREG_DEPLOYMENTS_DIR: deployments, CREDREG_PRIVATE_KEY: GOVERNOR_KEY };
    const args = ["deploy", "--accreditor", `${GOVERNOR},${ACCREDITOR}`, "--json"];
    const earlier = await runCli(["deploy", "--json"], { cwd: work, env });
    expect(earlier.code, earlier.stderr).toBe(0);

    const crashed = await runCli(args, { cwd: work, env: { ...env, CREDREG_TEST_CRASH_AT: "after-deploy" } });
    expect(crashed.signal, crashed.stderr).toBe("SIGKILL");
    expect((await readdir(deployments)).sort()).toEqual(["31337.json", "31337.pending.json"]);
    const pending = JSON.parse(await readFile(path.join(deployments, "31337.pending.json"), "utf8")) as { address: string; accreditors: string[] };
    expect(pending.accreditors).toEqual([GOVERNOR, ACCREDITOR]);
    // Until the grants are done, the earlier deployment stays the one in use.
    expect(JSON.parse(await readFile(path.join(deployments, "31337.json"), "utf8")).address).toBe(earlier.json.address);
    const { provider } = await connectRpc(node.url);
    const registry = registryContract(pending.address, provider);
    const role = await registry.getFunction("ACCREDITOR_ROLE")();
    expect(await registry.getFunction("hasRole")(role, ACCREDITOR), "killed before any grant").toBe(false);
    const nonce = await provider.getTransactionCount(GOVERNOR);

    const rerun = await runCli(args, { cwd: work, env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json).toMatchObject({ address: pending.address, resumed: true, accreditors: [GOVERNOR, ACCREDITOR] });
    expect(await provider.getTransactionCount(GOVERNOR), "two grants, no second deployment").toBe(nonce + 2);
    expect(await registry.getFunction("hasRole")(role, ACCREDITOR)).toBe(true);
    expect(await registry.getFunction("hasRole")(role, GOVERNOR)).toBe(true);
    expect(await readdir(deployments)).toEqual(["31337.json"]);
    expect(JSON.parse(await readFile(path.join(deployments, "31337.json"), "utf8")).address).toBe(pending.address);

    const text = await runCli(args.filter((arg) => arg !== "--json"), { cwd: work, env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain("CredentialRegistry deployed on chain 31337");
    expect(text.stdout).not.toContain(pending.address);
    provider.destroy();
  });
});
