import { describe, expect, it } from "vitest";
import { attachProof } from "../../src/batch/attachProof.ts";
import { buildBatch } from "../../src/batch/buildBatch.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { achievementInputSchema, recipientInputSchema } from "../../src/credential/issuanceInputSchema.ts";
import { validateCredential, validateUnsignedCredential, validateWith } from "../../src/credential/validateCredential.ts";
import { SAMPLE_ANCHOR, sampleAchievement, sampleCredentials } from "../helpers/sampleCredentials.ts";

const anchor = SAMPLE_ANCHOR;

function sampleFile(): Credential {
  const credentials = sampleCredentials(3);
  return attachProof(credentials[1]!, buildBatch(credentials), 1, anchor, "2026-07-01T00:00:00Z");
}

const clone = <T,>(value: T): T => structuredClone(value);

describe("validateCredential", () => {
  it("default: a built credential file is valid, and returned exactly as given", () => {
    const file = sampleFile();
    const result = validateCredential(file);
    expect(result).toEqual({ ok: true, value: file });
    if (result.ok) expect(result.value).toBe(file);
    const { proof: _proof, ...unsigned } = file;
    expect(validateUnsignedCredential(unsigned).ok).toBe(true);
    expect(validateUnsignedCredential(file).ok).toBe(false); // proof is not part of an unsigned credential
  });

  it("error: reports every problem at once, each with its JSON path", () => {
    const file = clone(sampleFile()) as unknown as Record<string, any>;
    file["@context"] = ["https://www.w3.org/2018/credentials/v1"];
    file.id = "not-a-urn";
    file.issuer.id = "ftp://x";
    file.validFrom = "2026-07-01";
    file.credentialSubject.achievement.eqfLevel = 9;
    file.credentialSubject.achievement.workload = {};
    file.credentialSubject.achievement.participation = "by post";
    file.credentialSubject.identifier[1].identityHash = "md5$abc";
    file.credentialSubject.achievement.alignment[0].targetUrl = "not a uri";
    file.credentialSubject.extra = true;
    file.proof.merkleProof[0] = "0x12";
    file.proof.anchor.blockNumber = -1;
    const result = validateCredential(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((problem) => [problem.path, problem.message]));
    expect(byPath).toMatchObject({
      '$["@context"]': 'must start with "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"',
      "$.id": "must be urn:uuid:<lower-case UUID>",
      "$.issuer.id": "must be an http(s) URL or a DID (the profile id accredited on chain)",
      "$.validFrom": "must be a date-time with a time zone, e.g. 2026-06-30T00:00:00Z",
      "$.credentialSubject.achievement.eqfLevel": "EQF levels are 1 to 8",
      "$.credentialSubject.achievement.workload": "needs hours and/or ectsCredits",
      "$.credentialSubject.achievement.participation": "must be one of online, onsite, blended",
      "$.credentialSubject.identifier[1].identityHash": 'must be "sha256$" followed by 64 lower-case hex digits',
      "$.credentialSubject.achievement.alignment[0].targetUrl": "must be an absolute URI (https://..., urn:..., did:...)",
      "$.proof.merkleProof[0]": "must be a 0x-prefixed 32-byte hex string in lower case",
      "$.proof.anchor.blockNumber": "Too small: expected number to be >=0",
    });
    expect(result.problems.some((problem) => problem.path === "$.credentialSubject" && /extra/.test(problem.message))).toBe(true);
  });

  it("error: cross-field rules (dates, the two status entries, proof vs status)", () => {
    const file = clone(sampleFile()) as unknown as Record<string, any>;
    file.validUntil = "2026-06-30T00:00:00Z";
    file.credentialStatus[1].statusListIndex = "2";
    file.credentialStatus[1].statusPurpose = "revocation";
    file.proof.leafIndex = 2;
    file.proof.anchor.chainId = "eip155:1";
    const result = validateCredential(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: "$.validUntil", message: "must be later than validFrom" },
        { path: "$.credentialStatus[1].statusPurpose", message: 'must be "suspension"' },
        { path: "$.credentialStatus[1].statusListIndex", message: "must equal the revocation entry's index" },
        { path: "$.proof.leafIndex", message: "must equal credentialStatus[0].statusListIndex" },
        { path: "$.proof.anchor.registry", message: "must match credentialStatus[0].registry (chain and address)" },
      ]),
    );
  });

  it("error: an anchor address that is not an address at all is one problem with its path (the checksum check never sees it)", () => {
    for (const bad of ["0x123", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8\ud800", "issuer"]) {
      const file = clone(sampleFile()) as unknown as Record<string, any>;
      file.proof.anchor.issuer = bad;
      const result = validateCredential(file);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.problems.filter((problem) => problem.path === "$.proof.anchor.issuer")).toEqual([{ path: "$.proof.anchor.issuer", message: "must be a 0x-prefixed 20-byte address" }]);
    }
  });

  it("error: not an object at all", () => {
    for (const value of [null, 42, "credential", []]) {
      const result = validateCredential(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems[0]?.path).toBe("$");
    }
  });
});

describe("issuance input schemas", () => {
  it("default: the sample achievement and recipients are valid", () => {
    expect(validateWith(achievementInputSchema, sampleAchievement).ok).toBe(true);
    expect(validateWith(recipientInputSchema, { name: "Ada", email: "ada@example.org" }).ok).toBe(true);
  });

  it("error: a recipient needs a name or an email; fields are checked with paths", () => {
    expect(validateWith(recipientInputSchema, {})).toEqual({ ok: false, problems: [{ path: "$", message: "needs a name and/or an email" }] });
    const result = validateWith(recipientInputSchema, { name: " ", email: "nope", creditsEarned: -1, nickname: "x" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.path).sort()).toEqual(["$", "$.creditsEarned", "$.email", "$.name"]);
  });

  it("error: the achievement input may not carry the fixed members", () => {
    const result = validateWith(achievementInputSchema, { ...sampleAchievement, achievementType: "Badge", learningOutcomes: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: "$.learningOutcomes", message: "needs at least one learning outcome" },
        expect.objectContaining({ path: "$" }),
      ]),
    );
  });
});
