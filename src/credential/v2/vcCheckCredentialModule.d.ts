// The credential checks `@digitalbazaar/vc` runs in `issue` before signing (exported by the package, named with an
// underscore): credreg's fast signer runs the same checks, so that it refuses exactly what `vc.issue` refuses.

declare module "@digitalbazaar/vc" {
  /** Throws what `vc.issue` throws for a malformed credential (`mode: "issue"`), returns nothing otherwise. */
  export function _checkCredential(options: { credential: object; now?: string | Date; mode?: "issue" | "verify"; maxClockSkew?: number }): void;
}
