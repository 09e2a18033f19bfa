/** The W3C Verifiable Credentials 2.0 base context: always first in `@context`. */
export const VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2";

/** The Open Badges 3.0 context: always second in `@context`. */
export const OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/** `credentialStatus[].type`: an entry of the registry's on-chain bitstring status lists. */
export const STATUS_ENTRY_TYPE = "CredregStatusEntry2026";

/** `proof.type`: inclusion in an anchored Merkle batch. */
export const PROOF_TYPE = "CredregMerkleProof2026";

/** `credentialSubject.achievement.achievementType` of every credential we issue. */
export const ACHIEVEMENT_TYPE = "MicroCredential";

/** Forms of participation (EU micro-credential element). */
export const PARTICIPATION_FORMS = ["online", "onsite", "blended"] as const;
