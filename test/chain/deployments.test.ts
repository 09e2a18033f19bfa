import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deploymentFile, readDeployment, type RegistryDeployment, writeDeployment } from "../../src/chain/deployments.ts";
import { DeploymentNotFoundError, InvalidDeploymentFileError } from "../../src/errors/chainErrors.ts";

const record: RegistryDeployment = {
  format: "credreg-deployment-v1",
  contract: "CredentialRegistry",
  chainId: "84532",
  address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
  blockNumber: 12,
  transactionHash: `0x${"ab".repeat(32)}`,
  deployer: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  admin: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  adminDelaySeconds: 172800,
  accreditors: ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"],
  deployedAt: "2026-11-21T00:00:00.000Z",
};

const tempDir = () => mkdtemp(path.join(tmpdir(), "credreg-deployments-"));

describe("deployments", () => {
  it("default: writes <chainId>.json atomically and reads it back with a checksummed address", async () => {
    const dir = await tempDir();
    const file = await writeDeployment(record, dir);
    expect(file).toBe(path.join(dir, "84532.json"));
    expect(await readdir(dir)).toEqual(["84532.json"]);
    const read = await readDeployment(84532n, dir);
    expect(read).toEqual({ ...record, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" });
    expect(JSON.parse(await readFile(file, "utf8")).format).toBe("credreg-deployment-v1");
  });

  it("behavior: stale temporary files of crashed writes in the deployments folder are removed", async () => {
    const dir = await tempDir();
    // 999999999 is above Linux's pid_max: no process by that id runs, so these are a crashed writer's leftovers.
    await writeFile(path.join(dir, "84532.json.999999999.tmp"), "{half");
    await writeFile(path.join(dir, "84532.json.999999999.5eed.tmp"), "{half");
    await writeDeployment(record, dir);
    expect(await readdir(dir)).toEqual(["84532.json"]);
  });

  it("error: no file for the chain says how to deploy", async () => {
    const dir = await tempDir();
    const error = await readDeployment(1n, dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeploymentNotFoundError);
    expect((error as Error).message).toContain("No CredentialRegistry deployment is recorded for chain 1.");
    expect((error as Error).message).toContain("scripts/deploy.ts");
  });

  it("error: a file that is not JSON, of another format, of another chain or with a bad address", async () => {
    const dir = await tempDir();
    const cases: [unknown, string][] = [
      ["{not json", "it is not JSON"],
      [{ ...record, format: "v0" }, 'format is "v0", expected "credreg-deployment-v1"'],
      [{ ...record, chainId: "1" }, "it records chain 1, not 84532"],
      [{ ...record, address: "0x1234" }, "address is not an Ethereum address"],
      [{ ...record, blockNumber: -1 }, "blockNumber is not a block number"],
      [[], 'format is undefined, expected "credreg-deployment-v1"'],
    ];
    for (const [content, problem] of cases) {
      await writeFile(deploymentFile(84532n, dir), typeof content === "string" ? content : JSON.stringify(content));
      const error = await readDeployment(84532n, dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidDeploymentFileError);
      expect((error as InvalidDeploymentFileError).shortMessage).toBe(
        `The deployment file ${deploymentFile(84532n, dir)} is not valid: ${problem}.`,
      );
    }
  });
});
