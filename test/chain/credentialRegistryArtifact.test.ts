import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { credentialRegistryAbi, credentialRegistryBytecode } from "../../src/chain/credentialRegistryArtifact.ts";

describe("credentialRegistryArtifact", () => {
  it("default: matches the Hardhat build exactly (run `npm run build` after changing the contract)", async () => {
    const artifact = JSON.parse(
      await readFile(new URL("../../artifacts/contracts/CredentialRegistry.sol/CredentialRegistry.json", import.meta.url), "utf8"),
    ) as { abi: unknown; bytecode: string };
    expect(credentialRegistryAbi).toEqual(artifact.abi);
    expect(credentialRegistryBytecode).toBe(artifact.bytecode);
  });
});
