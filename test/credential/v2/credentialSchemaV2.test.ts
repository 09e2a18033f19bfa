import { readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { compileSchemaCheck } from "../../../src/credential/compileSchemaCheck.ts";
import { credentialSchemaV2, unsignedCredentialSchemaV2 } from "../../../src/credential/v2/credentialSchemaV2.ts";
import { packagedDocumentLoader } from "../../../src/credential/v2/packagedDocumentLoader.ts";
import { shapeProblems } from "../../../src/credential/validateCredential.ts";
import { credentialMutation } from "../../helpers/credentialMutations.ts";
import { anchoredV2, issuerKeyV2, signedV2, unsignedV2At } from "../../helpers/credentialsV2.ts";

// The v2 format's schema: what the library signs and anchors passes it; what the design forbids is one problem with
// its path; its compiled yes/no form agrees with zod.

const problemsOf = (schema: z.ZodType, value: unknown) => shapeProblems(schema, value);

async function files(count = 3) {
  const key = await issuerKeyV2(5);
  return { key, ...anchoredV2(await signedV2(count, key)) };
}

describe("credentialSchemaV2", () => {
  it("default: credentials as signed and anchored by the library pass; their unsigned form passes the unsigned schema", async () => {
    const { key, files: anchored } = await files();
    for (const file of anchored) expect(problemsOf(credentialSchemaV2, file)).toEqual([]);
    expect(problemsOf(unsignedCredentialSchemaV2, unsignedV2At(0, key.controller))).toEqual([]);
    expect(compileSchemaCheck(credentialSchemaV2)).toBeTypeOf("function");
  });

  it("behavior: what passes it also passes the standards: JSON-LD safe mode with the packaged contexts, and the 1EdTech schema", async () => {
    const { files: anchored } = await files(2);
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL("../../fixtures/v2/ob_v3p0_achievementcredential_schema.json", import.meta.url), "utf8")) as object);
    for (const file of anchored) {
      await expect(jsonld.expand(file, { documentLoader: packagedDocumentLoader, safe: true })).resolves.toBeInstanceOf(Array);
      expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("error: each rule of the design is one problem with its path", async () => {
    const { files: anchored } = await files();
    const file = anchored[1]!;
    const cases: [string, (copy: any) => void, { path: string; message: RegExp }][] = [
      ["issuer id is a URL", (copy) => (copy.issuer.id = "https://demo-university.example/issuer"), { path: "$.issuer.id", message: /did:key/ }],
      ["no EQF alignment", (copy) => (copy.credentialSubject.achievement.alignment = copy.credentialSubject.achievement.alignment.slice(1)), { path: "$.credentialSubject.achievement.alignment", message: /exactly one EQF/ }],
      ["result points nowhere", (copy) => (copy.credentialSubject.result[0].resultDescription = "urn:uuid:99999999-0000-4000-8000-000000000000"), { path: "$.credentialSubject.result[0].resultDescription", message: /resultDescription entries/ }],
      ["signed by another key", (copy) => (copy.proof[0].verificationMethod = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"), { path: "$.proof[0].verificationMethod", message: /key of issuer.id/ }],
      ["anchor not chained to the signature", (copy) => (copy.proof[1].previousProof = "urn:uuid:99999999-0000-4000-8000-000000000000"), { path: "$.proof[1].previousProof", message: /id of the signature/ }],
      ["leaf index is not the status index", (copy) => (copy.proof[1].leafIndex = 2), { path: "$.proof[1].leafIndex", message: /statusListIndex/ }],
      ["status entry id", (copy) => (copy.credentialStatus.id = "https://elsewhere.example/list#1"), { path: "$.credentialStatus.id", message: /statusListCredential#statusListIndex/ }],
      ["suspension purpose", (copy) => (copy.credentialStatus.statusPurpose = "suspension"), { path: "$.credentialStatus.statusPurpose", message: /./ }],
      ["v1-style proof object", (copy) => (copy.proof = copy.proof[1]), { path: "$.proof", message: /./ }],
      ["an unknown member (typo)", (copy) => (copy.credentialSubject.achievement.learningOutcomes = ["x"]), { path: "$.credentialSubject.achievement", message: /learningOutcomes/ }],
      ["neither hours nor credits", (copy) => { delete copy.credentialSubject.achievement.volumeOfLearning; delete copy.credentialSubject.achievement.creditsAvailable; }, { path: "$.credentialSubject.achievement.volumeOfLearning", message: /creditsAvailable/ }],
      ["a foreign context", (copy) => (copy["@context"][2] = "https://attacker.example/context.jsonld"), { path: "$[\"@context\"][2]", message: /./ }],
    ];
    for (const [name, change, expected] of cases) {
      const copy = structuredClone(file);
      change(copy);
      const problems = problemsOf(credentialSchemaV2, copy);
      expect(problems.length, `${name}: ${JSON.stringify(problems)}`).toBeGreaterThan(0);
      expect(problems.some((problem) => problem.path === expected.path && expected.message.test(problem.message)), `${name}: ${JSON.stringify(problems)}`).toBe(true);
    }
  });

  it("behavior: its compiled yes/no form agrees with zod on 1,000 mutations of an anchored v2 credential", async () => {
    const { files: anchored } = await files(2);
    const fast = compileSchemaCheck(credentialSchemaV2)!;
    let refused = 0;
    fc.assert(
      fc.property(credentialMutation(JSON.stringify(anchored[0])), (mutation) => {
        let value: unknown;
        try {
          value = JSON.parse(mutation.text);
        } catch {
          return;
        }
        let zod: boolean;
        try {
          zod = credentialSchemaV2.safeParse(value).success;
        } catch {
          zod = false;
        }
        if (!zod) refused += 1;
        expect(fast(value), `${mutation.kind} at ${mutation.path}`).toBe(zod);
      }),
      { numRuns: 1_000, seed: 20261122 },
    );
    expect(refused).toBeGreaterThan(400);
  });
});
