import { hkdfSync } from "node:crypto";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import type { Ed25519KeyPair } from "@digitalbazaar/ed25519-multikey";
import { InvalidConfigError } from "../errors/configErrors.ts";

/** Where an issuer's Ed25519 signing key (format v2) comes from. */
export type SigningKeySource =
  /** CREDREG_SIGNING_KEY: one key the issuer manages itself. */
  | { readonly kind: "explicit"; readonly seed: Uint8Array }
  /** Derived from the issuer's Ethereum key, one key per generation (1, 2, …): a new generation after a rotation. */
  | { readonly kind: "derived"; readonly ethereumKey: Uint8Array };

/**
 * The signing key's source: CREDREG_SIGNING_KEY (a 32-byte hex Ed25519 seed), else the issuer's Ethereum private key
 * (from which {@link signingKeyOf} derives one key per generation with HKDF-SHA256), so that an issuer has one secret
 * to keep. The key is never printed, logged or put in an error.
 */
export function signingKeySource(ethereumPrivateKey: string, env: NodeJS.ProcessEnv = process.env): SigningKeySource {
  const explicit = env.CREDREG_SIGNING_KEY?.trim();
  if (explicit) {
    const hex = explicit.startsWith("0x") ? explicit.slice(2) : explicit;
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
      throw new InvalidConfigError("CREDREG_SIGNING_KEY", "is not a 32-byte hex Ed25519 seed (its value is not shown)", "Set it to 64 hex digits (e.g. from `openssl rand -hex 32`), or unset it to derive the signing key from the issuer's Ethereum key.");
    }
    return { kind: "explicit", seed: Uint8Array.from(Buffer.from(hex, "hex")) };
  }
  return { kind: "derived", ethereumKey: Uint8Array.from(Buffer.from(ethereumPrivateKey.replace(/^0x/, ""), "hex")) };
}

/**
 * The signing key's source for an issuer that signs its transactions with `signer`: {@link signingKeySource} of its
 * private key. A signer without one (a remote signer) must have CREDREG_SIGNING_KEY.
 */
export function signingKeySourceOfSigner(signer: unknown, env: NodeJS.ProcessEnv = process.env): SigningKeySource {
  const privateKey = (signer as { privateKey?: unknown } | null)?.privateKey;
  if (typeof privateKey === "string") return signingKeySource(privateKey, env);
  if (env.CREDREG_SIGNING_KEY?.trim()) return signingKeySource("", env);
  throw new InvalidConfigError("CREDREG_SIGNING_KEY", "is not set, and the issuer's Ethereum key is not available to derive the signing key from", "Set CREDREG_SIGNING_KEY to a 32-byte hex Ed25519 seed.");
}

/** The Ed25519 key pair of `generation` (derived keys; an explicit key has generation 1 only), controlled by its own did:key. */
export async function signingKeyOf(source: SigningKeySource, generation: number): Promise<Ed25519KeyPair> {
  const seed = source.kind === "explicit" ? source.seed : new Uint8Array(hkdfSync("sha256", source.ethereumKey, "credreg", `credreg ed25519 signing key ${generation}`, 32));
  const probe = await Ed25519Multikey.generate({ seed });
  return Ed25519Multikey.generate({ seed, controller: `did:key:${probe.publicKeyMultibase}` });
}
