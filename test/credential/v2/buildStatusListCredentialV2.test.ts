import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { checkStatus, decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { describe, expect, it } from "vitest";
import { buildStatusListCredentialV2, MIN_STATUS_LIST_LENGTH } from "../../../src/credential/v2/buildStatusListCredentialV2.ts";
import { packagedDocumentLoader } from "../../../src/credential/v2/packagedDocumentLoader.ts";
import { InvalidInputError } from "../../../src/errors/issuerErrors.ts";
import { anchoredV2, issuerKeyV2, signedV2 } from "../../helpers/credentialsV2.ts";

// A wallet's status check, with the published libraries: @digitalbazaar/vc verifies a v2 credential and, through
// @digitalbazaar/vc-bitstring-status-list, the signed list credential it points at; the revoked one's bit is set.

const suite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

describe("buildStatusListCredentialV2", () => {
  it("default: a wallet verifies the credentials of a batch against its signed list: revoked ones fail, the others pass", async () => {
    const key = await issuerKeyV2(21);
    const { files } = anchoredV2(await signedV2(3, key));
    const url = (files[0]!.credentialStatus as { statusListCredential: string }).statusListCredential;
    const list = await buildStatusListCredentialV2({ url, leafCount: 3, revoked: [1], key, proofId: "urn:uuid:20000000-0000-4000-8000-000000000001", created: new Date("2026-02-01T00:00:00Z") });
    expect(list).toMatchObject({ id: url, type: ["VerifiableCredential", "BitstringStatusListCredential"], issuer: { id: key.controller }, credentialSubject: { type: "BitstringStatusList", statusPurpose: "revocation" } });
    const decoded = await decodeList({ encodedList: (list.credentialSubject as { encodedList: string }).encodedList });
    expect(decoded.length).toBe(MIN_STATUS_LIST_LENGTH);
    // What the wallet fetches at statusListCredential, served here from memory (the only network a wallet needs).
    const documentLoader = async (requested: string) => (requested === url ? { contextUrl: null, documentUrl: url, document: list } : packagedDocumentLoader(requested));
    const verdicts: boolean[][] = [];
    for (const file of files) {
      const result = (await vc.verifyCredential({ credential: file, suite: suite(), documentLoader, checkStatus: (options: object) => checkStatus({ ...(options as { credential: object }), documentLoader, suite: suite() }) })) as {
        verified: boolean;
        statusResult?: { verified: boolean; results: { status: boolean }[] };
      };
      // The library's `verified` says the signature and the list were checked; each result's `status` is the bit
      // (revocation purpose: set = revoked). A wallet accepts a credential only when both say so.
      expect(result.verified, JSON.stringify(result)).toBe(true);
      verdicts.push(result.statusResult!.results.map((entry) => entry.status));
    }
    expect(verdicts).toEqual([[false], [true], [false]]);
  });

  it("error: a list signed by another key, or changed after signing, does not vouch for anything", async () => {
    const key = await issuerKeyV2(22);
    const other = await issuerKeyV2(23);
    const { files } = anchoredV2(await signedV2(2, key));
    const url = (files[0]!.credentialStatus as { statusListCredential: string }).statusListCredential;
    const foreign = await buildStatusListCredentialV2({ url, leafCount: 2, revoked: [], key: other, proofId: "urn:uuid:1", created: new Date("2026-02-01T00:00:00Z") });
    const genuine = await buildStatusListCredentialV2({ url, leafCount: 2, revoked: [0], key, proofId: "urn:uuid:1", created: new Date("2026-02-01T00:00:00Z") });
    const edited = { ...genuine, credentialSubject: { ...(genuine.credentialSubject as object), encodedList: (foreign.credentialSubject as { encodedList: string }).encodedList } };
    for (const list of [foreign, edited]) {
      const documentLoader = async (requested: string) => (requested === url ? { contextUrl: null, documentUrl: url, document: list } : packagedDocumentLoader(requested));
      const result = await checkStatus({ credential: files[1]!, documentLoader, suite: suite() });
      expect(result.verified).toBe(false);
    }
  });

  it("error: bad input is one sentence: a non-https URL, an index outside the batch", async () => {
    const key = await issuerKeyV2(24);
    const base = { leafCount: 4, key, proofId: "urn:uuid:1", created: new Date() };
    await expect(buildStatusListCredentialV2({ ...base, url: "http://issuer.example/status/1", revoked: [] })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(buildStatusListCredentialV2({ ...base, url: "https://issuer.example/status/1", revoked: [4] })).rejects.toThrow("Index 4 is not in the batch (0 to 3).");
  });
});
