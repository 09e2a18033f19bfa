import { OB3_CONTEXT, VC_V2_CONTEXT } from "../constants.ts";
import { CREDREG_CONTEXT_V2_URL } from "./credregContextV2.ts";

// The RDF meaning of the documents credreg signs in format v2, as JSON-LD expansion with the packaged contexts gives
// it: for each kind of node, its exact `type`, the rdf:type IRIs that `type` expands to, and for each member the
// predicate and how its value becomes an RDF term. It mirrors `unsignedCredentialSchemaV2` (and the proof options
// of the `eddsa-rdfc-2022` signature). It is data, not a second JSON-LD processor: `quadsOfKnownShapeV2` refuses
// anything it does not list, and `knownShapesAgreeWithJsonLdV2` checks it against `jsonld` before it is trusted.

const RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const XSD = "http://www.w3.org/2001/XMLSchema#";
/** Open Badges 3.0 writes its XSD prefix with `https`: these datatypes are not the `http` XSD ones. */
const OB_XSD = "https://www.w3.org/2001/XMLSchema#";
const OBI = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";
const SCHEMA = "https://schema.org/";
const CRED = "https://www.w3.org/2018/credentials#";
const STATUS = "https://www.w3.org/ns/credentials/status#";
const ELM = "http://data.europa.eu/snb/model/elm/";
const CREDREG = "https://w3id.org/credreg/v2#";
const SEC = "https://w3id.org/security#";
const DCTERMS = "http://purl.org/dc/terms/";

export const RDF_TYPE = `${RDF}type`;
export const RDF_FIRST = `${RDF}first`;
export const RDF_REST = `${RDF}rest`;
export const RDF_NIL = `${RDF}nil`;
const XSD_STRING = `${XSD}string`;

/** How one member's value becomes RDF. */
export type MemberRule =
  /** A JSON string, boolean or number: one literal with this datatype (numbers formatted as `jsonld` does). */
  | { readonly predicate: string; readonly literal: "string" | "boolean" | "number"; readonly datatype: string }
  /** A JSON string holding an absolute IRI: one IRI. */
  | { readonly predicate: string; readonly reference: true }
  /** A JSON string naming a term of a vocabulary: one IRI (only the terms listed). */
  | { readonly predicate: string; readonly vocabulary: Readonly<Record<string, string>> }
  /** A JSON array of strings: literals (`set`, one per distinct value) or an RDF list (`list`, in order). */
  | { readonly predicate: string; readonly strings: "set" | "list"; readonly datatype: string }
  /** A JSON object (or, with `many`, an array of them) of another kind: a node, linked to by the predicate. */
  | { readonly predicate: string; readonly node: KindV2; readonly many: boolean };

export type NodeShapeV2 = {
  /** The node's `type` exactly as written (`undefined`: the node has no `type`). */
  readonly type: string | readonly string[] | undefined;
  /** The IRIs that `type` expands to (one rdf:type quad each). */
  readonly typeIris: readonly string[];
  /** Whether the node may have an `id` (an absolute IRI); without one it is a blank node. */
  readonly id: boolean;
  readonly members: Readonly<Record<string, MemberRule>>;
};

export type KindV2 =
  | "Credential"
  | "Profile"
  | "Image"
  | "AchievementSubject"
  | "IdentityObject"
  | "Achievement"
  | "Criteria"
  | "Alignment"
  | "ResultDescription"
  | "Result"
  | "Accreditation"
  | "BitstringStatusListEntry"
  | "Evidence"
  | "DataIntegrityProof";

const text = (predicate: string, datatype = XSD_STRING) => ({ predicate, literal: "string", datatype }) as const;
const node = (predicate: string, kind: KindV2, many = false) => ({ predicate, node: kind, many }) as const;

/** The v2 shapes: the `@context` every document has, the kinds a document may be (roots), and every kind of node. */
export const knownShapesV2: {
  readonly context: readonly string[];
  readonly roots: readonly KindV2[];
  readonly kinds: Readonly<Record<KindV2, NodeShapeV2>>;
} = {
  context: [VC_V2_CONTEXT, OB3_CONTEXT, CREDREG_CONTEXT_V2_URL],
  // A credential without `proof`, and the proof options of its signature (the proof without `proofValue`, with the
  // credential's `@context`: what the eddsa-rdfc-2022 cryptosuite canonicalizes).
  roots: ["Credential", "DataIntegrityProof"],
  kinds: {
    Credential: {
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      typeIris: [`${CRED}VerifiableCredential`, `${OBI}OpenBadgeCredential`],
      id: true,
      members: {
        issuer: node(`${CRED}issuer`, "Profile"),
        name: text(`${SCHEMA}name`),
        description: text(`${SCHEMA}description`),
        validFrom: text(`${CRED}validFrom`, `${XSD}dateTime`),
        validUntil: text(`${CRED}validUntil`, `${XSD}dateTime`),
        credentialSubject: node(`${CRED}credentialSubject`, "AchievementSubject"),
        credentialStatus: node(`${CRED}credentialStatus`, "BitstringStatusListEntry"),
        evidence: node(`${CRED}evidence`, "Evidence", true),
      },
    },
    Profile: {
      type: ["Profile"],
      typeIris: [`${OBI}Profile`],
      id: true,
      members: {
        name: text(`${SCHEMA}name`),
        url: text(`${SCHEMA}url`, `${OB_XSD}anyURI`),
        image: node(`${OBI}image`, "Image"),
      },
    },
    Image: {
      type: "Image",
      typeIris: [`${OBI}Image`],
      id: true,
      members: { caption: text(`${SCHEMA}caption`) },
    },
    AchievementSubject: {
      type: ["AchievementSubject"],
      typeIris: [`${OBI}AchievementSubject`],
      id: false,
      members: {
        identifier: node(`${OBI}identifier`, "IdentityObject", true),
        achievement: node(`${OBI}achievement`, "Achievement"),
        creditsEarned: { predicate: `${OBI}creditsEarned`, literal: "number", datatype: `${OB_XSD}float` },
        result: node(`${OBI}result`, "Result", true),
      },
    },
    IdentityObject: {
      type: "IdentityObject",
      typeIris: [`${OBI}IdentityObject`],
      id: false,
      members: {
        identityType: text(`${OBI}identityType`),
        hashed: { predicate: `${OBI}hashed`, literal: "boolean", datatype: `${OB_XSD}boolean` },
        identityHash: text(`${OBI}identityHash`),
        salt: text(`${OBI}salt`),
      },
    },
    Achievement: {
      type: ["Achievement"],
      typeIris: [`${OBI}Achievement`],
      id: true,
      members: {
        achievementType: text(`${OBI}achievementType`),
        name: text(`${SCHEMA}name`),
        description: text(`${SCHEMA}description`),
        // Open Badges 3.0's context maps `criteria` to the IRI of the class (obi:Criteria): that is what it signs.
        criteria: node(`${OBI}Criteria`, "Criteria"),
        image: node(`${OBI}image`, "Image"),
        creditsAvailable: { predicate: `${OBI}creditsAvailable`, literal: "number", datatype: `${OB_XSD}float` },
        alignment: node(`${OBI}alignment`, "Alignment", true),
        resultDescription: node(`${OBI}resultDescription`, "ResultDescription", true),
        fieldOfStudy: text(`${OBI}fieldOfStudy`),
        inLanguage: text(`${SCHEMA}inLanguage`),
        learningOutcome: { predicate: `${ELM}learningOutcome`, strings: "set", datatype: XSD_STRING },
        volumeOfLearning: text(`${ELM}volumeOfLearning`, `${XSD}duration`),
        mode: { predicate: `${ELM}mode`, reference: true },
        assessment: text(`${CREDREG}assessment`),
        accreditation: node(`${ELM}accreditation`, "Accreditation"),
      },
    },
    Criteria: {
      type: undefined,
      typeIris: [],
      id: true,
      members: { narrative: text(`${OBI}narrative`) },
    },
    Alignment: {
      type: ["Alignment"],
      typeIris: [`${SCHEMA}AlignmentObject`],
      id: false,
      members: {
        targetName: text(`${SCHEMA}targetName`),
        targetUrl: text(`${SCHEMA}targetUrl`, `${OB_XSD}anyURI`),
        targetFramework: text(`${SCHEMA}targetFramework`),
        targetCode: text(`${OBI}targetCode`),
        targetDescription: text(`${SCHEMA}targetDescription`),
        targetType: text(`${OBI}targetType`),
      },
    },
    ResultDescription: {
      type: ["ResultDescription"],
      typeIris: [`${OBI}ResultDescription`],
      id: true,
      members: {
        name: text(`${SCHEMA}name`),
        resultType: text(`${OBI}resultType`),
        allowedValue: { predicate: `${OBI}allowedValue`, strings: "list", datatype: XSD_STRING },
      },
    },
    Result: {
      type: ["Result"],
      typeIris: [`${OBI}Result`],
      id: false,
      members: {
        resultDescription: text(`${OBI}resultDescription`, `${OB_XSD}anyURI`),
        value: text(`${SCHEMA}value`),
      },
    },
    Accreditation: {
      type: "Accreditation",
      typeIris: [`${ELM}Accreditation`],
      id: false,
      members: { name: text(`${SCHEMA}name`) },
    },
    BitstringStatusListEntry: {
      type: "BitstringStatusListEntry",
      typeIris: [`${STATUS}BitstringStatusListEntry`],
      id: true,
      members: {
        statusPurpose: text(`${STATUS}statusPurpose`),
        statusListIndex: text(`${STATUS}statusListIndex`),
        statusListCredential: { predicate: `${STATUS}statusListCredential`, reference: true },
      },
    },
    Evidence: {
      type: ["Evidence"],
      typeIris: [`${OBI}Evidence`],
      id: true,
      members: {
        name: text(`${SCHEMA}name`),
        narrative: text(`${OBI}narrative`),
      },
    },
    DataIntegrityProof: {
      type: "DataIntegrityProof",
      typeIris: [`${SEC}DataIntegrityProof`],
      id: true,
      members: {
        created: text(`${DCTERMS}created`, `${XSD}dateTime`),
        verificationMethod: { predicate: `${SEC}verificationMethod`, reference: true },
        cryptosuite: text(`${SEC}cryptosuite`, `${SEC}cryptosuiteString`),
        proofPurpose: { predicate: `${SEC}proofPurpose`, vocabulary: { assertionMethod: `${SEC}assertionMethod` } },
      },
    },
  },
};
