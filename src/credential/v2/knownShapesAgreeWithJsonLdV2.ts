import { canonize } from "rdf-canonize";
import { canonicalNQuadsByCryptosuiteV2 } from "./canonicalNQuadsByCryptosuiteV2.ts";
import { knownShapeProbesV2 } from "./knownShapeProbesV2.ts";
import { quadsOfKnownShapeV2 } from "./quadsOfKnownShapeV2.ts";

let agreement: Promise<boolean> | undefined;

/**
 * Whether {@link quadsOfKnownShapeV2} gives, for every probe of {@link knownShapeProbesV2} (every rule of the table,
 * every IRI scheme it accepts), the canonical form the cryptosuite gives through `jsonld` with the packaged
 * contexts. Computed once per process. `false` (a context or the table changed, `jsonld` behaves otherwise) means
 * the table must not be trusted: the fast signer then signs everything through the published path.
 */
export function knownShapesAgreeWithJsonLdV2(): Promise<boolean> {
  agreement ??= (async () => {
    try {
      for (const probe of knownShapeProbesV2()) {
        const quads = quadsOfKnownShapeV2(probe);
        if (quads === undefined) return false;
        const [ours, theirs] = await Promise.all([canonize(quads, { algorithm: "RDFC-1.0", format: "application/n-quads" }), canonicalNQuadsByCryptosuiteV2(probe)]);
        if (ours !== theirs) return false;
      }
      return true;
    } catch {
      return false;
    }
  })();
  return agreement;
}
