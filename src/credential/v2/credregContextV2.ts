/** The type of format v2's anchor proof (Merkle inclusion of the signed credential in a batch anchored on chain). */
export const ANCHOR_PROOF_TYPE_V2 = "CredregAnchorProof2026";

/** The URL of credreg's own JSON-LD context for format v2 (served by `credreg serve`, shipped in the package). */
export const CREDREG_CONTEXT_V2_URL = "https://w3id.org/credreg/v2";

const VOCAB = "https://w3id.org/credreg/v2#";
const ELM = "http://data.europa.eu/snb/model/elm/";
const XSD = "http://www.w3.org/2001/XMLSchema#";
const SEC = "https://w3id.org/security#";

/** Where a batch is anchored (chain, registry, issuer address, transaction, block): in the anchor proof and in components. */
const ANCHOR_TERM = {
  "@id": `${VOCAB}anchor`,
  "@context": {
    "@protected": true,
    chainId: { "@id": `${VOCAB}chainId` },
    registry: { "@id": `${VOCAB}registry` },
    issuer: { "@id": `${VOCAB}issuerAddress` },
    transactionHash: { "@id": `${VOCAB}transactionHash` },
    blockNumber: { "@id": `${VOCAB}blockNumber`, "@type": `${XSD}integer` },
  },
} as const;

/**
 * credreg's JSON-LD context for format v2: the European Learning Model terms a micro-credential needs where Open
 * Badges 3.0 has none, and the members of the anchor proof. Every term is defined (no `@vocab`), protected like the
 * W3C and 1EdTech contexts it follows, so that JSON-LD safe mode expands a v2 credential with nothing dropped.
 */
export const credregContextV2 = {
  "@context": {
    "@protected": true,
    // European Learning Model (ELM 3): on an Achievement.
    learningOutcome: { "@id": `${ELM}learningOutcome`, "@container": "@set" },
    volumeOfLearning: { "@id": `${ELM}volumeOfLearning`, "@type": `${XSD}duration` },
    mode: { "@id": `${ELM}mode`, "@type": "@id" },
    accreditation: { "@id": `${ELM}accreditation` },
    Accreditation: { "@id": `${ELM}Accreditation` },
    LearningAssessment: { "@id": `${ELM}LearningAssessment` },
    // ELM describes assessment through the achievement's specification; the plain "how it is assessed" is ours.
    assessment: { "@id": `${VOCAB}assessment` },
    // The anchor proof: the credential with its signature, included in a Merkle tree whose root is on chain.
    CredregAnchorProof2026: {
      "@id": `${VOCAB}CredregAnchorProof2026`,
      "@context": {
        "@protected": true,
        id: "@id",
        type: "@type",
        created: { "@id": "http://purl.org/dc/terms/created", "@type": `${XSD}dateTime` },
        previousProof: { "@id": `${SEC}previousProof`, "@type": "@id" },
        salt: { "@id": `${VOCAB}salt` },
        leafIndex: { "@id": `${VOCAB}leafIndex`, "@type": `${XSD}integer` },
        merkleRoot: { "@id": `${VOCAB}merkleRoot` },
        merkleProof: { "@id": `${VOCAB}merkleProof`, "@container": "@list" },
        anchor: ANCHOR_TERM,
      },
    },
    // Stacked credentials (docs/stacking.md): the pathway rule on the qualification's Achievement, property-scoped so
    // that its members (`issuer` among them) mean what they say there only.
    pathway: {
      "@id": `${VOCAB}pathway`,
      "@context": {
        "@protected": true,
        id: "@id",
        type: "@type",
        required: { "@id": `${VOCAB}requiredComponents`, "@type": `${XSD}integer` },
        minCredits: { "@id": `${VOCAB}minCredits`, "@type": `${XSD}float` },
        minEqfLevel: { "@id": `${VOCAB}minEqfLevel`, "@type": `${XSD}integer` },
        components: {
          "@id": `${VOCAB}pathwayComponent`,
          "@container": "@set",
          "@context": {
            "@protected": true,
            achievement: { "@id": `${VOCAB}componentAchievement`, "@type": "@id" },
            issuer: { "@id": `${VOCAB}issuerAddress` },
          },
        },
      },
    },
    // One component of a stacked credential, as an Evidence entry: what it claims and where it is anchored, so that
    // the stacked file alone lets a verifier check the component on chain.
    CredregComponent2026: {
      "@id": `${VOCAB}CredregComponent2026`,
      "@context": {
        "@protected": true,
        id: "@id",
        type: "@type",
        achievement: { "@id": `${VOCAB}componentAchievement`, "@type": "@id" },
        issuerProfile: { "@id": `${VOCAB}issuerProfile`, "@type": "@id" },
        creditsAvailable: { "@id": "https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable", "@type": `${XSD}float` },
        eqfLevel: { "@id": `${VOCAB}eqfLevel`, "@type": `${XSD}integer` },
        contentHash: { "@id": `${VOCAB}contentHash` },
        created: { "@id": "http://purl.org/dc/terms/created", "@type": `${XSD}dateTime` },
        salt: { "@id": `${VOCAB}salt` },
        leafIndex: { "@id": `${VOCAB}leafIndex`, "@type": `${XSD}integer` },
        merkleRoot: { "@id": `${VOCAB}merkleRoot` },
        merkleProof: { "@id": `${VOCAB}merkleProof`, "@container": "@list" },
        anchor: ANCHOR_TERM,
      },
    },
  },
} as const;
