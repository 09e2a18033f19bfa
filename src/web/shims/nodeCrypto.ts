// Browser stand-in for the parts of node:crypto the verifier's code path uses (bundled by buildPageBundle).
import { sha256 } from "@noble/hashes/sha2.js";
import { Buffer } from "buffer";

export function randomBytes(size: number): Buffer {
  const bytes = new Uint8Array(size);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes);
}

export function randomFillSync<T extends ArrayBufferView>(view: T): T {
  globalThis.crypto.getRandomValues(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return view;
}

export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}

export function createHash(algorithm: string) {
  if (algorithm !== "sha256") throw new Error(`Only sha256 is available in the browser, not ${algorithm}.`);
  const parts: Uint8Array[] = [];
  const hash = {
    update(data: string | Uint8Array, _encoding?: string) {
      parts.push(typeof data === "string" ? new TextEncoder().encode(data) : data);
      return hash;
    },
    digest(encoding?: "hex") {
      const digest = Buffer.from(sha256(Buffer.concat(parts)));
      return encoding === "hex" ? digest.toString("hex") : digest;
    },
  };
  return hash;
}
