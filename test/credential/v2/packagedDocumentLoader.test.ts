import { readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import jsonld from "jsonld";
import { describe, expect, it } from "vitest";
import { ContextNotPackagedError } from "../../../src/errors/credentialErrors.ts";
import { CREDREG_CONTEXT_V2_URL } from "../../../src/credential/v2/credregContextV2.ts";
import { OB3_CONTEXT, VC_V2_CONTEXT } from "../../../src/credential/constants.ts";
import { packagedDocumentLoader } from "../../../src/credential/v2/packagedDocumentLoader.ts";

// Format v2's vocabulary: every member of a v2 credential is a defined term of the packaged contexts (JSON-LD safe
// mode drops nothing), the document passes the 1EdTech Open Badges 3.0 schema, and no context is ever fetched.

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/v2/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;
const shape = () => fixture("credential-v2-shape.json");
const expandSafely = (document: object) => jsonld.expand(document, { documentLoader: packagedDocumentLoader, safe: true });

/** Every IRI-bearing key and every value in the expanded form, flattened to strings (to look for a member). */
const flatten = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(flatten) : value !== null && typeof value === "object" ? Object.entries(value).flatMap(([key, member]) => [key, ...flatten(member)]) : [String(value)]);

describe("format v2 vocabulary (packaged contexts)", () => {
  it("default: the v2 credential expands in JSON-LD safe mode with only the packaged contexts, each member under its IRI", async () => {
    const expanded = await expandSafely(shape());
    const seen = flatten(expanded);
    for (const iri of [
      "http://data.europa.eu/snb/model/elm/learningOutcome",
      "http://data.europa.eu/snb/model/elm/volumeOfLearning",
      "https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable",
      "https://purl.imsglobal.org/spec/vc/ob/vocab.html#ResultDescription",
      "https://www.w3.org/ns/credentials/status#statusListCredential",
      "https://w3id.org/security#cryptosuite",
      "https://w3id.org/credreg/v2#merkleProof",
      "https://w3id.org/credreg/v2#transactionHash",
      "https://w3id.org/credreg/v2#CredregAnchorProof2026",
    ]) {
      expect(seen, iri).toContain(iri);
    }
    // A leaf value from deep inside the anchor proof and one from the achievement made it through.
    expect(seen).toContain("0x185adc404d96f817072794e90e356b2e73d6ccc334964c89bfb1516d880d39ff");
    expect(seen).toContain("PT125H");
  });

  it("error: safe mode refuses any member no context defines (what v1 files and typos fail)", async () => {
    const typo = shape();
    (typo.credentialSubject as Record<string, Record<string, unknown>>).achievement!.learningOutcomes = ["a typo of learningOutcome"];
    await expect(expandSafely(typo)).rejects.toThrow(/safe mode|invalid property|dropped/i);
    const inProof = shape();
    ((inProof.proof as Record<string, unknown>[])[1]!.anchor as Record<string, unknown>).gasUsed = 48_262;
    await expect(expandSafely(inProof)).rejects.toThrow(/safe mode|invalid property|dropped/i);
    const v1 = JSON.parse(readFileSync(new URL("../../fixtures/forged/genuine.json", import.meta.url), "utf8")) as object;
    await expect(expandSafely(v1)).rejects.toThrow();
  });

  it("error: a context that is not packaged is never fetched: ContextNotPackagedError names it", async () => {
    const foreign = shape();
    foreign["@context"] = [...(foreign["@context"] as string[]), "https://attacker.example/context.jsonld"];
    await expect(expandSafely(foreign)).rejects.toThrow(/attacker\.example/);
    await expect(packagedDocumentLoader("https://attacker.example/context.jsonld")).rejects.toBeInstanceOf(ContextNotPackagedError);
    for (const url of [VC_V2_CONTEXT, OB3_CONTEXT, CREDREG_CONTEXT_V2_URL]) expect((await packagedDocumentLoader(url)).documentUrl).toBe(url);
  });

  it("behavior: a did:key (Ed25519) and its key are computed from the DID itself; a malformed one is refused", async () => {
    const did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    const { document } = await packagedDocumentLoader(did);
    expect(document).toMatchObject({ id: did, assertionMethod: [`${did}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`] });
    const { document: key } = await packagedDocumentLoader(`${did}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`);
    expect(key).toMatchObject({ type: "Multikey", controller: did, publicKeyMultibase: "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" });
    await expect(packagedDocumentLoader("did:key:z6MkNOTAKEY")).rejects.toBeInstanceOf(ContextNotPackagedError);
    await expect(packagedDocumentLoader("did:web:attacker.example")).rejects.toBeInstanceOf(ContextNotPackagedError);
  });

  it("behavior: the v2 credential passes the 1EdTech Open Badges 3.0 AchievementCredential JSON Schema (a v1 file does not)", () => {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(fixture("ob_v3p0_achievementcredential_schema.json"));
    expect(validate(shape()), JSON.stringify(validate.errors)).toBe(true);
    const v1 = JSON.parse(readFileSync(new URL("../../fixtures/forged/genuine.json", import.meta.url), "utf8")) as object;
    expect(validate(v1)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(expect.arrayContaining(["/proof", "/credentialStatus"]));
  });
});
