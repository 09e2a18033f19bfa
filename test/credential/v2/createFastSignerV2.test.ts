import fc from "fast-check";
import { canonize } from "rdf-canonize";
import { describe, expect, it } from "vitest";
import { InvalidCredentialError } from "../../../src/errors/credentialErrors.ts";
import { canonicalNQuadsByCryptosuiteV2 } from "../../../src/credential/v2/canonicalNQuadsByCryptosuiteV2.ts";
import { createFastSignerV2 } from "../../../src/credential/v2/createFastSignerV2.ts";
import { knownShapeProbesV2 } from "../../../src/credential/v2/knownShapeProbesV2.ts";
import { knownShapesAgreeWithJsonLdV2 } from "../../../src/credential/v2/knownShapesAgreeWithJsonLdV2.ts";
import { type KindV2, knownShapesV2 } from "../../../src/credential/v2/knownShapesV2.ts";
import { quadsOfKnownShapeV2 } from "../../../src/credential/v2/quadsOfKnownShapeV2.ts";
import { signCredentialV2, verifyCredentialSignatureV2 } from "../../../src/credential/v2/signCredentialV2.ts";
import { credentialMutation } from "../../helpers/credentialMutations.ts";
import { issuerKeyV2, shapeV2, unsignedV2At } from "../../helpers/credentialsV2.ts";

// The fast signer must give exactly what signCredentialV2 (@digitalbazaar/vc, unmodified) gives: the same document,
// byte for byte, or the same error. Its dataset comes from a table of the v2 terms, held to jsonld's canonical form.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Key = Awaited<ReturnType<typeof issuerKeyV2>>;

const CREATED = new Date("2026-01-01T00:00:00Z");
const proofIdOf = (index: number) => `urn:uuid:10000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
const nquads = { algorithm: "RDFC-1.0", format: "application/n-quads" } as const;

/** A promise's outcome as comparable data: the value, or the error's name, message and problems. */
async function outcome(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await promise };
  } catch (error) {
    const { name, message, problems } = error as { name: string; message: string; problems?: unknown };
    return { error: { name, message, problems } };
  }
}

/** Credential `index` of the helpers' batch, edited by `edit` (a deep copy). */
function credentialWith(key: Key, index: number, edit: (credential: Record<string, any>) => void = () => {}): Record<string, unknown> {
  const credential = structuredClone(unsignedV2At(index, key.controller)) as Record<string, any>;
  edit(credential);
  return credential;
}

/** Credentials of the v2 shape with and without its optional members, with text no ASCII test would try. */
function variedCredentials(key: Key): Record<string, unknown>[] {
  return [
    credentialWith(key, 0),
    credentialWith(key, 1),
    credentialWith(key, 2, (credential) => {
      credential.credentialSubject.identifier[0].identityHash = "Ω Ünïcödé 😀 \u202eأحمد\u202c \"quoted\" \\ line\nbreak\ttab";
    }),
    // Every optional member the schema allows.
    credentialWith(key, 3, (credential) => {
      credential.description = "Ceci n'est pas une pipe — 第三";
      credential.validUntil = "2031-06-30T00:00:00Z";
      credential.issuer.image = { id: "https://demo-university.example/logo.png", type: "Image", caption: "Logo" };
      credential.evidence = [
        { type: ["Evidence"], id: "https://demo-university.example/evidence/1", name: "Project", narrative: "A notebook" },
        { type: ["Evidence"], narrative: "The written exam" },
      ];
      const achievement = credential.credentialSubject.achievement;
      achievement.criteria.id = "https://demo-university.example/criteria";
      achievement.alignment[1].targetCode = "ccd0a1d9";
      achievement.alignment[1].targetDescription = "Python";
      achievement.creditsAvailable = 2.5;
      achievement.learningOutcome.push(achievement.learningOutcome[0]);
      credential.credentialSubject.creditsEarned = 0;
    }),
    // Without the optional members.
    credentialWith(key, 4, (credential) => {
      const subject = credential.credentialSubject;
      subject.identifier = [subject.identifier[1]];
      delete subject.creditsEarned;
      delete subject.result;
      for (const member of ["image", "resultDescription", "fieldOfStudy", "inLanguage", "volumeOfLearning"]) delete subject.achievement[member];
      subject.achievement.alignment = [subject.achievement.alignment[0]];
    }),
    // Two results that are the same (blank nodes only RDFC-1.0's deeper steps tell apart).
    credentialWith(key, 5, (credential) => {
      credential.credentialSubject.result = [credential.credentialSubject.result[0], structuredClone(credential.credentialSubject.result[0])];
    }),
  ];
}

describe("createFastSignerV2", () => {
  it("default: gives byte for byte the document signCredentialV2 gives, on the fast path", async () => {
    const key = await issuerKeyV2();
    const signer = createFastSignerV2(key);
    const credentials = variedCredentials(key);
    for (const [index, credential] of credentials.entries()) {
      const fast = await signer.sign(credential, proofIdOf(index), CREATED);
      const published = await signCredentialV2(credential, key, proofIdOf(index), CREATED);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(published));
    }
    expect(signer.counts).toEqual({ fast: credentials.length, generic: 0 });
  });

  it("default: the signed credentials verify with the published library (verifyCredentialSignatureV2), with the anchor proof after them too", async () => {
    const key = await issuerKeyV2(7);
    const signer = createFastSignerV2(key);
    for (const [index, credential] of variedCredentials(key).entries()) {
      const signed = await signer.sign(credential, proofIdOf(index), CREATED);
      const result = await verifyCredentialSignatureV2(signed, { now: "2026-06-01T00:00:00Z" });
      expect(result.verified, JSON.stringify(result.error)).toBe(true);
    }
    const signed = await signer.sign(credentialWith(key, 9), proofIdOf(9), CREATED);
    const withAnchor = { ...signed, proof: [...(signed.proof as object[]), (shapeV2.proof as object[])[1]] };
    expect((await verifyCredentialSignatureV2(withAnchor, { now: "2026-06-01T00:00:00Z" })).verified).toBe(true);
    expect(signer.counts.generic).toBe(0);
  });

  it("behavior: a signature whose first byte is 0 keeps its base58btc leading '1' as the library writes it", async () => {
    const key = await issuerKeyV2(3);
    const signer = createFastSignerV2(key);
    const credential = credentialWith(key, 0);
    let found: { index: number; proofValue: string } | undefined;
    for (let index = 0; index < 4096 && found === undefined; index++) {
      const proofValue = ((await signer.sign(credential, proofIdOf(index), CREATED)).proof as { proofValue: string }[])[0]!.proofValue;
      if (proofValue.startsWith("z1")) found = { index, proofValue };
    }
    expect(found).toBeDefined();
    const published = await signCredentialV2(credential, key, proofIdOf(found!.index), CREATED);
    expect((published.proof as { proofValue: string }[])[0]!.proofValue).toBe(found!.proofValue);
  });

  it("error: a changed value, a changed proof option or another key's verification method fails verification", async () => {
    const key = await issuerKeyV2(9);
    const other = await issuerKeyV2(10);
    const signed = await createFastSignerV2(key).sign(credentialWith(key, 0), proofIdOf(0), CREATED);
    expect((await verifyCredentialSignatureV2(signed, { now: "2026-06-01T00:00:00Z" })).verified).toBe(true);
    const renamed = structuredClone(signed) as Record<string, any>;
    renamed.credentialSubject.achievement.name = "Doctor of Medicine";
    const reholder = structuredClone(signed) as Record<string, any>;
    reholder.credentialSubject.identifier[0].identityHash = "Mallory Forger";
    const redated = structuredClone(signed) as Record<string, any>;
    redated.proof[0].created = "2025-01-01T00:00:00Z";
    const rekeyed = structuredClone(signed) as Record<string, any>;
    rekeyed.proof[0].verificationMethod = `did:key:${other.publicKeyMultibase}#${other.publicKeyMultibase}`;
    const resigned = structuredClone(signed) as Record<string, any>;
    resigned.proof[0].proofValue = `z${"1".repeat(86)}`;
    for (const forged of [renamed, reholder, redated, rekeyed, resigned]) expect((await verifyCredentialSignatureV2(forged, { now: "2026-06-01T00:00:00Z" })).verified).toBe(false);
  });

  it("error: the issuer must be the signing key's DID: the same InvalidCredentialError as signCredentialV2", async () => {
    const key = await issuerKeyV2(11);
    const other = await issuerKeyV2(12);
    const signer = createFastSignerV2(key);
    const foreign = credentialWith(other, 0);
    const rejection = await signer.sign(foreign, proofIdOf(0), CREATED).catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(InvalidCredentialError);
    expect((rejection as InvalidCredentialError).message).toMatch(/^The credential to sign is not valid: 1 problem\./);
    expect((rejection as InvalidCredentialError).problems).toEqual([{ path: "$.issuer.id", message: `must be the signing key's DID ${key.controller} (is ${JSON.stringify(other.controller)})` }]);
    expect(await outcome(signer.sign(foreign, proofIdOf(0), CREATED))).toEqual(await outcome(signCredentialV2(foreign, key, proofIdOf(0), CREATED)));
    expect(signer.counts).toEqual({ fast: 0, generic: 2 });
  });

  it("behavior: a document the table does not know is signed by the published path, with its result or its error", async () => {
    const key = await issuerKeyV2(13);
    const signer = createFastSignerV2(key);
    const cases: [string, Record<string, unknown>, Date][] = [
      ["a holder id (valid JSON-LD, not a v2 member)", credentialWith(key, 0, (c) => (c.credentialSubject.id = "did:example:holder")), CREATED],
      ["a compact IRI (expansion may change it)", credentialWith(key, 1, (c) => (c.credentialSubject.achievement.mode = "ex:blended")), CREATED],
      ["the profile type as a string", credentialWith(key, 2, (c) => (c.issuer.type = "Profile")), CREATED],
      ["a proof already there (appended to)", { ...credentialWith(key, 3), proof: { type: "Ed25519Signature2020" } }, CREATED],
      ["a member no context defines (refused in safe mode)", credentialWith(key, 4, (c) => (c.credentialSubject.achievement.secretLevel = "9")), CREATED],
      ["a relative id (refused in safe mode)", credentialWith(key, 5, (c) => (c.credentialSubject.achievement.id = "achievements/5")), CREATED],
      ["a null member", credentialWith(key, 6, (c) => (c.description = null)), CREATED],
      ["validFrom not a date (refused by vc.issue)", credentialWith(key, 7, (c) => (c.validFrom = "yesterday")), CREATED],
      ["an invalid creation date", credentialWith(key, 8), new Date(Number.NaN)],
      ["an inherited member name", credentialWith(key, 9, (c) => (c.credentialSubject.achievement.constructor = "x")), CREATED],
    ];
    for (const [what, credential, created] of cases) {
      expect(await outcome(signer.sign(credential, proofIdOf(0), created)), what).toEqual(await outcome(signCredentialV2(credential, key, proofIdOf(0), created)));
    }
    expect(signer.counts).toEqual({ fast: 0, generic: cases.length });
    // And a document of another kind credreg signs: its status list credential.
    const statusList = { "@context": ["https://www.w3.org/ns/credentials/v2"], id: "https://demo-university.example/status/1", type: ["VerifiableCredential", "BitstringStatusListCredential"], issuer: { id: key.controller }, credentialSubject: { id: "https://demo-university.example/status/1#list", type: "BitstringStatusList", statusPurpose: "revocation", encodedList: "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA" } };
    expect(JSON.stringify(await signer.sign(statusList, proofIdOf(1), CREATED))).toBe(JSON.stringify(await signCredentialV2(statusList, key, proofIdOf(1), CREATED)));
    expect(signer.counts.generic).toBe(cases.length + 1);
  });

  it("behavior (property): on any credential of the known shapes, the fast signer and signCredentialV2 give the same document (or the same error)", async () => {
    const key = await issuerKeyV2(14);
    const signer = createFastSignerV2(key);
    await fc.assert(
      fc.asyncProperty(arbitraryOfKind("Credential", 0, ["issuer", "credentialSubject"]), fc.constantFrom(true, true, true, false), async (credential, validDates) => {
        const document = { "@context": [...knownShapesV2.context], ...credential, issuer: { ...(credential.issuer as object), id: key.controller } };
        if (validDates) Object.assign(document, { validFrom: "2026-01-01T00:00:00Z" }, "validUntil" in document ? { validUntil: "2030-01-01T00:00:00Z" } : {});
        expect(await outcome(signer.sign(document, proofIdOf(1), CREATED))).toEqual(await outcome(signCredentialV2(document, key, proofIdOf(1), CREATED)));
      }),
      { numRuns: 60 },
    );
    // About half take the fast path; the rest (an IRI it leaves to jsonld, a date vc.issue refuses) the published one.
    expect(signer.counts.fast).toBeGreaterThan(15);
  });
});

describe("quadsOfKnownShapeV2", () => {
  it("default: the table agrees with jsonld on every probe (every rule, every accepted IRI scheme), once per process", async () => {
    expect(await knownShapesAgreeWithJsonLdV2()).toBe(true);
    for (const probe of knownShapeProbesV2()) {
      expect(await canonize(quadsOfKnownShapeV2(probe)!, nquads)).toBe(await canonicalNQuadsByCryptosuiteV2(probe));
    }
  });

  it("behavior (property): any document of the known shapes, any values, has the cryptosuite's canonical form", async () => {
    let known = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...knownShapesV2.roots).chain((root) => arbitraryOfKind(root)),
        async (node) => {
          const document = { "@context": [...knownShapesV2.context], ...node };
          if (await expectSameCanonicalForm(document)) known += 1;
        },
      ),
      { numRuns: 150 },
    );
    expect(known).toBeGreaterThan(75);
  });

  it("behavior (property): a mutated credential (values, members, types, arrays, duplicate members, lone surrogates) is either refused or has the cryptosuite's canonical form", async () => {
    const key = await issuerKeyV2(15);
    const base = JSON.stringify(credentialWith(key, 0, (credential) => (credential.credentialSubject.achievement.creditsAvailable = 2.5)), null, 2);
    let known = 0;
    await fc.assert(
      fc.asyncProperty(credentialMutation(base), async (mutation) => {
        let document: unknown;
        try {
          document = JSON.parse(mutation.text);
        } catch {
          return;
        }
        if (await expectSameCanonicalForm(document)) known += 1;
      }),
      { numRuns: 300 },
    );
    // Some mutations stay in the known shapes (another text, another number): the comparison is not empty.
    expect(known).toBeGreaterThan(30);
  });
});

/**
 * Whether `document` is of the known shapes; if so, its canonical form through the table must be the cryptosuite's
 * (or, if the cryptosuite refuses it, canonicalizing the table's dataset must fail too: the signer then falls back).
 */
async function expectSameCanonicalForm(document: unknown): Promise<boolean> {
  const quads = quadsOfKnownShapeV2(document);
  if (quads === undefined) return false;
  const ours = await outcome(canonize(quads, nquads));
  const theirs = await outcome(canonicalNQuadsByCryptosuiteV2(document as object));
  if ("error" in (theirs as object)) expect(ours, JSON.stringify(document)).toHaveProperty("error");
  else expect(ours, JSON.stringify(document)).toEqual(theirs);
  return true;
}

const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom("", " ", '"\\\n\r\t', "Zoë 中村 😀", "\u202eRTL", "\u0000", "urn:uuid:7c1d9e2a-3b4f-4a6e-8d5c-9f0e1a2b3c4d", "_:b0", "@id"),
);
/** IRIs the fast path accepts, and ones it must leave to jsonld (compact, relative, blank node, spaces). */
const iri: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^https?:\/\/[a-z0-9-]{1,10}(\.[a-z]{2,4})?(\/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,10}){0,3}(\?[a-z0-9=&]{0,8})?(#[a-z0-9]{0,6})?$/) },
  { weight: 10, arbitrary: fc.stringMatching(/^(urn:[a-z0-9]{1,8}:|did:[a-z]{1,6}:|data:)[A-Za-z0-9._~:/?#=&%;,+-]{1,20}$/) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("https://", "http://", "urn:", "did:", "data:"), fc.stringMatching(/^[!#-;=?-[\]_a-z~]{1,12}$/)).map(([scheme, rest]) => scheme + rest) },
  { weight: 1, arbitrary: fc.constantFrom("xsd:string", "schema:name", "obi:x", "ext:EQFLevel", "elm:x", "_:b1", "relative/path", "https://a b", "urn:", "HTTPS://EXAMPLE.ORG/", "did:key:z6Mk#frag", "https://x.example/é") },
);
const number: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 2.5, 1e21, 1e-7, 123456789012345680000));

/** Nodes of `kind` as the table describes them: every member optional, any value of the member's JSON type. */
function arbitraryOfKind(kind: KindV2, depth = 0, requiredKeys: string[] = []): fc.Arbitrary<Record<string, Json>> {
  const shape = knownShapesV2.kinds[kind];
  const members: Record<string, fc.Arbitrary<Json>> = {};
  if (shape.id) members.id = iri;
  for (const [key, rule] of Object.entries(shape.members)) {
    if ("literal" in rule) members[key] = rule.literal === "number" ? number : rule.literal === "boolean" ? fc.boolean() : text;
    else if ("reference" in rule) members[key] = iri;
    else if ("vocabulary" in rule) members[key] = fc.constantFrom(...Object.keys(rule.vocabulary));
    else if ("strings" in rule) members[key] = fc.array(text, { maxLength: 4 });
    else if (depth < 6) members[key] = rule.many ? fc.array(arbitraryOfKind(rule.node, depth + 1), { maxLength: 3 }) : arbitraryOfKind(rule.node, depth + 1);
  }
  return fc.record(members, { requiredKeys }).map((node) => (shape.type === undefined ? node : { ...node, type: structuredClone(shape.type) as Json }));
}
