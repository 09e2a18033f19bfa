import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { readDeployment } from "../../src/chain/deployments.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { startHardhatNode } from "../../src/devnet/startHardhatNode.ts";

const run = promisify(execFile);
const hardhat = path.resolve("node_modules/hardhat/dist/src/cli.js");
// Hardhat's second development account: funded on a local node only.
const DEV_KEY_1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const DEV_ADDRESS_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const DEV_ADDRESS_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

async function deployScript(env: Record<string, string>) {
  return run(process.execPath, [hardhat, "run", "scripts/deploy.ts", "--network", "rpc"], {
    env: { ...process.env, FORCE_COLOR: "0", ...env },
  }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe("scripts/deploy.ts", () => {
  it("default: deploys to any JSON-RPC URL from the environment and records deployments/<chainId>.json", async () => {
    const node = await startHardhatNode();
    try {
      const dir = await mkdtemp(path.join(tmpdir(), "credreg-deploy-"));
      const result = await deployScript({
        CREDREG_RPC_URL: node.url,
        CREDREG_PRIVATE_KEY: DEV_KEY_1,
        CREDREG_DEPLOYMENTS_DIR: dir,
        CREDREG_ACCREDITORS: `${DEV_ADDRESS_1},${DEV_ADDRESS_2}`,
        CREDREG_ADMIN_DELAY: "3600",
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("CredentialRegistry deployed on chain 31337 (rpc)");
      const deployment = await readDeployment(31337n, dir);
      expect(deployment.deployer).toBe(DEV_ADDRESS_1);
      expect(deployment.accreditors).toEqual([DEV_ADDRESS_1, DEV_ADDRESS_2]);
      expect(deployment.adminDelaySeconds).toBe(3600);
      const { provider } = await connectRpc(node.url);
      const registry = registryContract(deployment.address, provider);
      const role = await registry.getFunction("ACCREDITOR_ROLE")();
      expect(await registry.getFunction("hasRole")(role, DEV_ADDRESS_2)).toBe(true);
      expect(await registry.getFunction("defaultAdminDelay")()).toBe(3600n);
      provider.destroy();
    } finally {
      await node.stop();
    }
  });

  it("error: missing or malformed settings get one clear sentence and exit 1, an unreachable node exit 2", async () => {
    const missing = await deployScript({ CREDREG_RPC_URL: "", CREDREG_PRIVATE_KEY: DEV_KEY_1 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Error: CREDREG_RPC_URL is not set.");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const badList = await deployScript({ CREDREG_RPC_URL: "http://127.0.0.1:9", CREDREG_PRIVATE_KEY: DEV_KEY_1, CREDREG_ACCREDITORS: "0x12,nobody" });
    expect(badList.code).toBe(1);
    expect(badList.stderr).toContain('CREDREG_ACCREDITORS contains "0x12", which is not an address.');
    const unreachable = await deployScript({ CREDREG_RPC_URL: "http://127.0.0.1:9", CREDREG_PRIVATE_KEY: DEV_KEY_1 });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain("Cannot connect to the network");
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
  });

  it("error: an unfunded key gets the CLI's one sentence and exit 2, never the raw transaction or the RPC URL", async () => {
    const node = await startHardhatNode();
    try {
      const key = Wallet.createRandom();
      const result = await deployScript({ CREDREG_RPC_URL: node.url, CREDREG_PRIVATE_KEY: key.privateKey, CREDREG_DEPLOYMENTS_DIR: await mkdtemp(path.join(tmpdir(), "credreg-deploy-")) });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`Error: The account ${key.address} has too little ETH to pay for this transaction on chain 31337: fund it, then run the command again.`);
      for (const leak of ["coalesce", "0x02f8", node.url]) expect(result.stderr).not.toContain(leak);
    } finally {
      await node.stop();
    }
  });
});
