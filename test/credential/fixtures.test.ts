import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkInclusion } from "../../src/batch/checkInclusion.ts";
import { validateCredential } from "../../src/credential/validateCredential.ts";
import { buildCredentialTree } from "../../src/merkle/buildCredentialTree.ts";

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/credentials/${name}`, import.meta.url), "utf8"));
const expected = read("expected.json") as {
  root: string;
  leafCount: number;
  credentials: { file: string; contentHash: string; credentialHash: string; leaf: string }[];
};

describe("frozen credential fixtures", () => {
  it("default: every saved credential still validates and hashes to its saved contentHash, credentialHash, leaf and root", () => {
    expect(expected.credentials).toHaveLength(expected.leafCount);
    for (const fixture of expected.credentials) {
      const credential = read(fixture.file);
      expect(validateCredential(credential).ok, fixture.file).toBe(true);
      const check = checkInclusion(credential as never);
      expect(check.contentHash, fixture.file).toBe(fixture.contentHash);
      expect(check.credentialHash, fixture.file).toBe(fixture.credentialHash);
      expect(check.leaf, fixture.file).toBe(fixture.leaf);
      expect(check.computedRoot, fixture.file).toBe(expected.root);
      expect(check.included).toBe(true);
    }
    expect(buildCredentialTree(expected.credentials.map((fixture) => fixture.credentialHash)).root).toBe(expected.root);
  });

  it("frozen values: the first fixture's hashes, spelled out", () => {
    expect(expected.root).toBe("0x1d030d09b48407bb48f01d93bf3d7ac1f41343714d808b1a710fcf80c570c544");
    expect(expected.credentials[0]?.contentHash).toBe("0x682f6b7e0246eee25df33d4d3e6fdf21d9e05af3d2b9eac17e25034401deea1b");
  });
});
