import { readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import { buildSignedBatchV2 } from "../../../src/batch/buildSignedBatchV2.ts";
import { achievementInputSchema, type AchievementInput, type RecipientInput } from "../../../src/credential/issuanceInputSchema.ts";
import { attachAnchorProofV2 } from "../../../src/credential/v2/attachAnchorProofV2.ts";
import { buildUnsignedCredentialV2, type CredentialTemplateV2, hoursAsDuration, resultNamesOf } from "../../../src/credential/v2/buildUnsignedCredentialV2.ts";
import { credentialSchemaV2 } from "../../../src/credential/v2/credentialSchemaV2.ts";
import { LEARNING_MODE_IRIS } from "../../../src/credential/v2/learningModes.ts";
import { packagedDocumentLoader } from "../../../src/credential/v2/packagedDocumentLoader.ts";
import { signCredentialV2, verifyCredentialSignatureV2 } from "../../../src/credential/v2/signCredentialV2.ts";
import { shapeProblems } from "../../../src/credential/validateCredential.ts";
import { InvalidCredentialError } from "../../../src/errors/credentialErrors.ts";
import { issuerKeyV2, OFF_CHAIN_ANCHOR } from "../../helpers/credentialsV2.ts";

// Format v2 built from what issuers write (examples/achievement.json and recipients, the same input as v1): every
// v1 term mapped, and the result passes the standards once signed and anchored.

const achievement = achievementInputSchema.parse(JSON.parse(readFileSync(new URL("../../../examples/achievement.json", import.meta.url), "utf8"))) as AchievementInput;
const recipients: RecipientInput[] = [
  { name: "Ada Lovelace", email: "ada@example.org", creditsEarned: 5, result: [{ type: ["Result"], value: "A", resultDescription: "Final grade on an A–F scale" }] },
  { name: "Zoë Ångström 中村", result: [{ type: ["Result"], value: "B", resultDescription: "Final grade on an A–F scale" }], evidence: [{ type: ["Evidence"], id: "https://demo-university.example/evidence/1" }] },
  { email: "alan@example.org", validUntil: "2031-01-01T00:00:00Z" },
];

async function template(): Promise<{ key: Awaited<ReturnType<typeof issuerKeyV2>>; template: CredentialTemplateV2 }> {
  const key = await issuerKeyV2(9);
  return {
    key,
    template: {
      issuer: { did: key.controller, url: "https://demo-university.example/issuer", name: "Demo University" },
      achievement,
      resultNames: resultNamesOf(recipients),
      statusListCredential: "https://demo-university.example/credreg/status/6f1c2a7e-0d4b-4f59-8e3a-2b9c1d0e7f64",
      validFrom: "2026-09-01T00:00:00Z",
    },
  };
}

describe("buildUnsignedCredentialV2", () => {
  it("default: maps v1's terms to OB 3.0 and the European Learning Model", async () => {
    const { template: shared, key } = await template();
    const credential = buildUnsignedCredentialV2(shared, recipients[0]!, 0, { id: "urn:uuid:00000000-0000-4000-8000-000000000001", emailSalt: "00".repeat(16) });
    const built = credential.credentialSubject.achievement;
    expect(credential.issuer).toEqual({ id: key.controller, type: ["Profile"], name: "Demo University", url: "https://demo-university.example/issuer" });
    expect(built.mode).toBe(LEARNING_MODE_IRIS.blended);
    expect(built.volumeOfLearning).toBe("PT125H");
    expect(built.creditsAvailable).toBe(5);
    expect(built.learningOutcome).toEqual(achievement.learningOutcomes);
    expect(built.alignment[0]).toMatchObject({ targetUrl: "http://data.europa.eu/snb/eqf/6", targetType: "ext:EQFLevel" });
    expect(built.alignment).toHaveLength(1 + achievement.alignment!.length);
    expect(built.assessment).toBe(achievement.assessmentType);
    expect(built.accreditation).toEqual({ type: "Accreditation", name: achievement.qualityAssurance });
    // One result description per distinct text, the results pointing at it by id.
    expect(built.resultDescription).toHaveLength(1);
    expect(credential.credentialSubject.result![0]!.resultDescription).toBe(built.resultDescription![0]!.id);
    expect(credential.credentialStatus).toEqual({
      id: `${shared.statusListCredential}#0`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: "0",
      statusListCredential: shared.statusListCredential,
    });
    expect([hoursAsDuration(12.5), hoursAsDuration(0.25), hoursAsDuration(3)]).toEqual(["PT12H30M", "PT15M", "PT3H"]);
  });

  it("behavior: a batch built, signed and anchored passes the v2 schema, JSON-LD safe mode, the 1EdTech schema and the library's signature check", async () => {
    const { template: shared, key } = await template();
    const batch = await buildSignedBatchV2(shared, recipients, (credential, proofId) => signCredentialV2(credential, key, proofId, new Date("2026-09-01T00:00:00Z")));
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL("../../fixtures/v2/ob_v3p0_achievementcredential_schema.json", import.meta.url), "utf8")) as object);
    for (let index = 0; index < batch.leafCount; index += 1) {
      const file = attachAnchorProofV2(batch.credential(index), batch, index, OFF_CHAIN_ANCHOR, "2026-09-01T00:05:00Z");
      expect(shapeProblems(credentialSchemaV2, file)).toEqual([]);
      await expect(jsonld.expand(file, { documentLoader: packagedDocumentLoader, safe: true })).resolves.toBeInstanceOf(Array);
      expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
      expect((await verifyCredentialSignatureV2(file)).verified).toBe(true);
    }
    // Rebuilt from what a store keeps (order, randomness, salts): the same credentials and root.
    const again = await buildSignedBatchV2(shared, Array.from({ length: batch.leafCount }, (_, index) => recipients[batch.inputIndex(index)]!), (credential, proofId) => signCredentialV2(credential, key, proofId, new Date("2026-09-01T00:00:00Z")), {
      order: Uint32Array.from({ length: batch.leafCount }, (_, index) => index),
      randomness: batch.randomness,
      salt: (index) => Buffer.from(batch.salt(index).slice(2), "hex"),
    });
    expect(again.root).toBe(batch.root);
    expect(again.credential(1)).toEqual(batch.credential(1));
  });

  it("error: a recipient the v2 format cannot carry is reported with its input position; nothing is signed", async () => {
    const { template: shared, key } = await template();
    let signed = 0;
    const tooLong = { name: "Grace Hopper", result: [{ type: ["Result"] as ["Result"], value: "A", resultDescription: "x".repeat(300) }] };
    const error = await buildSignedBatchV2({ ...shared, resultNames: resultNamesOf([tooLong]) }, [recipients[2]!, tooLong], async (credential, proofId) => {
      signed += 1;
      return signCredentialV2(credential, key, proofId, new Date());
    }, { order: Uint32Array.from([1, 0]) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidCredentialError);
    expect((error as InvalidCredentialError).problems.some((problem) => problem.path.startsWith("$[1].credentialSubject.achievement.resultDescription[0].name"))).toBe(true);
    expect(signed).toBe(0);
  });
});
