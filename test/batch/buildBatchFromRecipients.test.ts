import { describe, expect, it } from "vitest";
import { rejectionOf } from "../helpers/rejectionOf.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { shuffledIndices } from "../../src/batch/shuffledIndices.ts";
import { contentHashOf } from "../../src/credential/hashCredential.ts";
import { validateUnsignedCredential } from "../../src/credential/validateCredential.ts";
import { InvalidCredentialError } from "../../src/errors/credentialErrors.ts";
import { processProof } from "../../src/merkle/processProof.ts";
import { sampleRecipients, sampleTemplate } from "../helpers/sampleCredentials.ts";

const people = (count: number) => Array.from({ length: count }, (_, index) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` }));

describe("buildBatchFromRecipients", () => {
  it("default: shuffles recipients into leaves and rebuilds each credential exactly as hashed", async () => {
    const batch = await buildBatchFromRecipients(sampleTemplate(), sampleRecipients);
    expect(batch.leafCount).toBe(sampleRecipients.length);
    const seen = new Set<number>();
    for (let index = 0; index < batch.leafCount; index += 1) {
      const credential = batch.credential(index);
      expect(validateUnsignedCredential(credential).ok).toBe(true);
      expect(credential.credentialStatus[0].statusListIndex).toBe(String(index));
      expect(contentHashOf(credential)).toBe(batch.contentHash(index));
      expect(processProof(batch.leaf(index), batch.proof(index))).toBe(batch.root);
      const recipient = sampleRecipients[batch.inputIndex(index)]!;
      const name = credential.credentialSubject.identifier.find((identity) => identity.identityType === "name");
      expect(name?.identityHash).toBe(recipient.name);
      seen.add(batch.inputIndex(index));
    }
    expect(seen.size).toBe(sampleRecipients.length);
  });

  it("behavior: a large batch runs on worker threads and gives the same kind of batch", async () => {
    const recipients = people(6000);
    const batch = await buildBatchFromRecipients(sampleTemplate(), recipients, { workers: 2 });
    for (const index of [0, 1, 2999, 3000, 5999]) {
      const credential = batch.credential(index);
      expect(contentHashOf(credential)).toBe(batch.contentHash(index));
      expect(processProof(batch.leaf(index), batch.proof(index))).toBe(batch.root);
      expect(credential.credentialSubject.identifier[0]?.identityHash).toBe(recipients[batch.inputIndex(index)]!.name);
    }
  });

  it("behavior: a given order is followed", async () => {
    const order = Uint32Array.from([2, 0, 1]);
    const batch = await buildBatchFromRecipients(sampleTemplate(), people(3), { order });
    expect([0, 1, 2].map((index) => batch.inputIndex(index))).toEqual([2, 0, 1]);
    expect(batch.credential(0).credentialSubject.identifier[0]?.identityHash).toBe("Learner 2");
  });

  it("error: every bad recipient is named by its input position (worker path too); a bad template is refused", async () => {
    const recipients: unknown[] = people(5000);
    recipients[17] = { name: "No Email", email: "not-an-email" };
    recipients[4321] = { nickname: "x" };
    const error = await rejectionOf<InvalidCredentialError>(buildBatchFromRecipients(sampleTemplate(), recipients, { workers: 2 }));
    expect(error).toBeInstanceOf(InvalidCredentialError);
    expect(error.problems.map((problem) => problem.path)).toEqual(["$[17].email", "$[4321]", "$[4321]"]);
    const badTemplate = await rejectionOf<InvalidCredentialError>(buildBatchFromRecipients({ ...sampleTemplate(), registry: { chainId: 0, address: "0x1" } }, people(1)));
    expect(badTemplate.shortMessage).toBe("The credential template is not valid: 2 problems.");
    await expect(buildBatchFromRecipients(sampleTemplate(), [])).rejects.toThrowError("The recipient list is not valid: 1 problem.");
  });
});

describe("shuffledIndices", () => {
  it("default: a permutation, and not the identity", () => {
    const order = shuffledIndices(1000);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, index) => index));
    expect([...order].some((value, index) => value !== index)).toBe(true);
  });

  it("behavior: every position is equally likely (chi-square over 60,000 shuffles of 4)", () => {
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (let run = 0; run < 60_000; run += 1) shuffledIndices(4).forEach((value, position) => (counts[position]![value]! += 1));
    const expected = 15_000;
    const chiSquare = counts.flat().reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(40); // 9 degrees of freedom: p < 1e-5 above 40
  });
});
