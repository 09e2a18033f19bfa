import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { packagedDocumentLoader } from "./packagedDocumentLoader.ts";

/** The cryptosuite's own canonicalization (jsonld.toRDF in safe mode, then RDFC-1.0): what a signature covers. */
const { canonize } = eddsaRdfc2022 as {
  canonize(input: object, options: { documentLoader: typeof packagedDocumentLoader; base: null; safe: true }): Promise<string>;
};

/**
 * The canonical N-Quads of `document` exactly as the published `eddsa-rdfc-2022` cryptosuite computes them when it
 * signs or verifies (its own `canonize`, with the packaged contexts): the reference the fast path is held to.
 */
export function canonicalNQuadsByCryptosuiteV2(document: object): Promise<string> {
  return canonize(document, { documentLoader: packagedDocumentLoader, base: null, safe: true });
}
