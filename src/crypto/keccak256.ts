import { createRequire } from "node:module";
import path from "node:path";
import keccak256Package from "keccak256";

type KeccakState = {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  squeeze(length: number): Buffer;
};

/**
 * The native Keccak state of the `keccak` package (the engine under `keccak256`), reused across calls: creating a
 * hasher object per hash costs more than hashing 64 bytes. Falls back to `keccak256` where the addon cannot load.
 */
function loadNativeState(): KeccakState | undefined {
  try {
    const keccakPackage = createRequire(import.meta.url).resolve("keccak/package.json");
    const keccakDir = path.dirname(keccakPackage);
    // The loader `keccak` itself uses, resolved from keccak's own folder.
    const nodeGypBuild = createRequire(keccakPackage)("node-gyp-build") as (dir: string) => unknown;
    const State = nodeGypBuild(keccakDir);
    if (typeof State !== "function") return undefined;
    return new (State as new () => KeccakState)();
  } catch {
    return undefined;
  }
}

const nativeState = loadNativeState();

/** Keccak-256 (Ethereum's hash, not SHA3-256) of `data`, as a 32-byte Buffer. */
export const keccak256: (data: Buffer) => Buffer = nativeState
  ? (data) => {
      // Keccak-256: rate 1088, capacity 512, no SHA-3 domain suffix (as `keccak`'s own 'keccak256').
      nativeState.initialize(1088, 512);
      nativeState.absorb(data);
      return nativeState.squeeze(32);
    }
  : (data) => keccak256Package(data);

/** Whether {@link keccak256} runs on the native addon (for the benchmark's report). */
export const keccakIsNative = nativeState !== undefined;
