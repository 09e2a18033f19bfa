import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { issuerKeyRegistryAbi, issuerKeyRegistryBytecode } from "../../src/chain/issuerKeyRegistryArtifact.ts";

describe("issuerKeyRegistryArtifact", () => {
  it("default: matches the Hardhat build exactly (run `npm run build` after changing the contract)", async () => {
    const artifact = JSON.parse(await readFile(new URL("../../artifacts/contracts/IssuerKeyRegistry.sol/IssuerKeyRegistry.json", import.meta.url), "utf8")) as { abi: unknown; bytecode: string };
    expect(issuerKeyRegistryAbi).toEqual(artifact.abi);
    expect(issuerKeyRegistryBytecode).toBe(artifact.bytecode);
  });
});
