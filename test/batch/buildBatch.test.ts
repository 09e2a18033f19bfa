import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildBatch } from "../../src/batch/buildBatch.ts";
import { contentHashOf, credentialHashOf } from "../../src/credential/hashCredential.ts";
import { InvalidCredentialError } from "../../src/errors/credentialErrors.ts";
import { buildCredentialTree } from "../../src/merkle/buildCredentialTree.ts";
import { credentialLeaf } from "../../src/merkle/credentialLeaf.ts";
import { processProof } from "../../src/merkle/processProof.ts";
import { sampleCredentials } from "../helpers/sampleCredentials.ts";

const randomHashes = (count: number) => Array.from({ length: count }, () => `0x${randomBytes(32).toString("hex")}`);

describe("Merkle trees of random batches (property)", () => {
  it("behavior: every leaf of a random tree of 1..2,000 leaves proves; a proof from another tree of the same size does not", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), (size) => {
        const tree = buildCredentialTree(randomHashes(size));
        const other = buildCredentialTree(randomHashes(size));
        for (let index = 0; index < size; index += 1) {
          expect(processProof(tree.leaf(index), tree.proof(index))).toBe(tree.root);
          if (size > 1) expect(processProof(tree.leaf(index), other.proof(index))).not.toBe(tree.root);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("behavior: large trees (65,537 and 100,003 leaves) prove every leaf", () => {
    for (const size of [65_537, 100_003]) {
      const tree = buildCredentialTree(randomHashes(size));
      for (let index = 0; index < size; index += 1) {
        if (processProof(tree.leaf(index), tree.proof(index)) !== tree.root) throw new Error(`leaf ${index} of ${size} does not prove`);
      }
    }
  });
});

describe("buildBatch", () => {
  it("default: hashes each credential with its salt, in leaf order, and every proof leads to the root", () => {
    const credentials = sampleCredentials(7);
    const batch = buildBatch(credentials);
    expect(batch.leafCount).toBe(7);
    for (let index = 0; index < 7; index += 1) {
      expect(batch.contentHash(index)).toBe(contentHashOf(credentials[index]!));
      expect(batch.credentialHash(index)).toBe(credentialHashOf(batch.salt(index), batch.contentHash(index)));
      expect(batch.leaf(index)).toBe(credentialLeaf(index, batch.credentialHash(index)));
      expect(processProof(batch.leaf(index), batch.proof(index))).toBe(batch.root);
    }
    expect(new Set(Array.from({ length: 7 }, (_, index) => batch.salt(index))).size).toBe(7);
  });

  it("behavior: salts are what make the root: same credentials, fresh salts, another root; fixed salts, the same root", () => {
    const credentials = sampleCredentials(4);
    expect(buildBatch(credentials).root).not.toBe(buildBatch(credentials).root);
    const salt = (index: number) => Buffer.alloc(32, index + 1);
    expect(buildBatch(credentials, { salt }).root).toBe(buildBatch(credentials, { salt }).root);
  });

  it("behavior: accepts a lazy iterable", () => {
    const credentials = sampleCredentials(5);
    function* lazily() {
      yield* credentials;
    }
    const salt = (index: number) => Buffer.alloc(32, index + 9);
    expect(buildBatch(lazily(), { salt }).root).toBe(buildBatch(credentials, { salt }).root);
  });

  it("error: every invalid credential is reported with its position, and nothing is built", () => {
    const credentials = sampleCredentials(5) as unknown as Record<string, any>[];
    credentials[1]!.validFrom = "yesterday";
    credentials[3]!.credentialStatus[0].statusListIndex = "0";
    credentials[3]!.credentialStatus[1].statusListIndex = "0";
    credentials[4]!.credentialSubject.creditsEarned = Number.NaN;
    const error = (() => {
      try {
        buildBatch(credentials);
      } catch (caught) {
        return caught as InvalidCredentialError;
      }
      throw new Error("no error");
    })();
    expect(error).toBeInstanceOf(InvalidCredentialError);
    expect(error.shortMessage).toBe("The batch is not valid: 3 problems.");
    expect(error.problems).toEqual([
      { path: "$[1].validFrom", message: "must be a date-time with a time zone, e.g. 2026-06-30T00:00:00Z" },
      { path: "$[3].credentialStatus[0].statusListIndex", message: 'must be "3", the credential\'s position in the batch' },
      { path: "$[4].credentialSubject.creditsEarned", message: expect.any(String) as string },
    ]);
    expect(() => buildBatch([])).toThrowError("A batch needs at least one credential hash.");
  });
});
