import { readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import { buildBatchV2 } from "../../../src/batch/buildBatchV2.ts";
import { attachAnchorProofV2 } from "../../../src/credential/v2/attachAnchorProofV2.ts";
import { credentialSchemaV2 } from "../../../src/credential/v2/credentialSchemaV2.ts";
import { packagedDocumentLoader } from "../../../src/credential/v2/packagedDocumentLoader.ts";
import { signCredentialV2, verifyCredentialSignatureV2 } from "../../../src/credential/v2/signCredentialV2.ts";
import { shapeProblems } from "../../../src/credential/validateCredential.ts";
import { componentEvidenceOf } from "../../../src/stacking/componentEvidenceOf.ts";
import { readCredentialInput } from "../../../src/verifier/readCredentialInput.ts";
import { anchoredV2, issuerKeyV2, OFF_CHAIN_ANCHOR, signedV2, unsignedV2At } from "../../helpers/credentialsV2.ts";

// A stacked credential (docs/stacking.md) is a format 2 credential like any other: it passes the v2 schema, JSON-LD
// safe mode with the packaged contexts only (every new term defined), the 1EdTech schema and the published signature
// verification; its component entries are exactly what the verifier reads back.

const PATHWAY = {
  id: "https://demo-university.example/pathways/data-science-certificate",
  required: 2,
  minCredits: 10,
  minEqfLevel: 5,
  components: [
    { achievement: "https://demo-university.example/achievements/data-analysis-python" },
    { achievement: "https://open-college.example/achievements/sql", issuer: OFF_CHAIN_ANCHOR.issuer },
    { achievement: "https://open-college.example/achievements/visualisation" },
  ],
};

async function stacked() {
  const key = await issuerKeyV2(7);
  const components = anchoredV2(await signedV2(2, key)).files.map((file) => componentEvidenceOf(readCredentialInput(JSON.stringify(file))));
  const unsigned = unsignedV2At(0, key.controller) as { credentialSubject: { achievement: Record<string, unknown> }; evidence?: unknown[] };
  unsigned.credentialSubject.achievement.achievementType = "Certificate";
  unsigned.credentialSubject.achievement.pathway = PATHWAY;
  unsigned.evidence = [{ type: ["Evidence"], narrative: "Portfolio reviewed by the programme board." }, ...components];
  const signed = await signCredentialV2(unsigned, key, "urn:uuid:20000000-0000-4000-8000-000000000000", new Date("2026-02-01T00:00:00Z"));
  const batch = buildBatchV2([signed]);
  return { components, file: attachAnchorProofV2(signed, batch, 0, OFF_CHAIN_ANCHOR, "2030-01-01T00:00:00Z") };
}

describe("stacked credentials (format 2)", () => {
  it("default: a stacked credential passes the v2 schema, safe-mode JSON-LD with nothing dropped, the 1EdTech schema and the published signature check", async () => {
    const { file, components } = await stacked();
    expect(shapeProblems(credentialSchemaV2, file)).toEqual([]);
    const expanded = await jsonld.expand(file, { documentLoader: packagedDocumentLoader, safe: true });
    const text = JSON.stringify(expanded);
    for (const term of ["CredregComponent2026", "componentAchievement", "requiredComponents", "minCredits", "issuerProfile", "contentHash", "pathwayComponent"]) expect(text).toContain(`https://w3id.org/credreg/v2#${term}`);
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(new URL("../../fixtures/v2/ob_v3p0_achievementcredential_schema.json", import.meta.url), "utf8")) as object);
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    await expect(verifyCredentialSignatureV2(file)).resolves.toMatchObject({ verified: true });
    // The verifier reads the components back exactly, with each leaf recomputed from its entry.
    const read = readCredentialInput(JSON.stringify(file));
    expect(read.formatProblems).toEqual([]);
    expect(read.stacked?.pathway).toEqual(PATHWAY);
    expect(read.stacked?.components.map((component) => component.evidence)).toEqual(components);
    for (const component of read.stacked!.components) expect(component.hashes?.included).toBe(true);
  });

  it("behavior: a component's entry leads to the component's own leaf; a changed entry does not", async () => {
    const key = await issuerKeyV2(7);
    const { batch, files } = anchoredV2(await signedV2(3, key));
    const entry = componentEvidenceOf(readCredentialInput(JSON.stringify(files[2])));
    expect(entry.leafIndex).toBe(2);
    expect(entry.merkleRoot).toBe(batch.root);
    expect(entry.contentHash).toBe(batch.contentHash(2));
    expect(entry).toMatchObject({ achievement: "https://demo-university.example/achievements/data-analysis-python", issuerProfile: "https://demo-university.example", creditsAvailable: 5, eqfLevel: 6, anchor: OFF_CHAIN_ANCHOR });
  });

  it("error: the schema names what is wrong with a stacked credential", async () => {
    const { file } = await stacked();
    const cases: [string, (copy: any) => void, { path: string; message: RegExp }][] = [
      ["a component without its root", (copy) => delete copy.evidence[1].merkleRoot, { path: "$.evidence[1].merkleRoot", message: /needs merkleRoot/ }],
      ["a component with a narrative", (copy) => (copy.evidence[1].narrative = "x"), { path: "$.evidence[1].narrative", message: /not a member/ }],
      ["plain evidence with a component member", (copy) => (copy.evidence[0].salt = copy.evidence[1].salt), { path: "$.evidence[0].salt", message: /CredregComponent2026 entries only/ }],
      ["an unknown evidence type", (copy) => (copy.evidence[1].type = ["Evidence", "Other"]), { path: "$.evidence[1].type[1]", message: /./ }],
      ["components without a pathway", (copy) => { delete copy.credentialSubject.achievement.pathway; copy.credentialSubject.achievement.achievementType = "MicroCredential"; }, { path: "$.credentialSubject.achievement.pathway", message: /needed with CredregComponent2026/ }],
      ["a pathway without components", (copy) => (copy.evidence = [copy.evidence[0]]), { path: "$.evidence", message: /needs its CredregComponent2026 entries/ }],
      ["a pathway on a micro-credential", (copy) => (copy.credentialSubject.achievement.achievementType = "MicroCredential"), { path: "$.credentialSubject.achievement.achievementType", message: /Certificate with a pathway/ }],
      ["the same component twice", (copy) => copy.evidence.push(copy.evidence[1]), { path: "$.evidence", message: /twice/ }],
      ["more required than named", (copy) => (copy.credentialSubject.achievement.pathway.required = 4), { path: "$.credentialSubject.achievement.pathway.required", message: /at most the number of components \(3\)/ }],
      ["one achievement named twice", (copy) => (copy.credentialSubject.achievement.pathway.components[2].achievement = PATHWAY.components[0]!.achievement), { path: "$.credentialSubject.achievement.pathway.components[2].achievement", message: /already named/ }],
    ];
    for (const [name, change, expected] of cases) {
      const copy = structuredClone(file);
      change(copy);
      const problems = shapeProblems(credentialSchemaV2, copy);
      expect(problems.some((problem) => problem.path === expected.path && expected.message.test(problem.message)), `${name}: ${JSON.stringify(problems)}`).toBe(true);
    }
  });
});
