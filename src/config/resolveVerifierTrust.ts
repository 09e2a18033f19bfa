import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { getAddress, isAddress } from "ethers";
import { InvalidConfigError, NoTrustedRegistryError } from "../errors/configErrors.ts";
import { DEFAULT_RPC_URL } from "./resolveConfig.ts";
import { KNOWN_REGISTRIES, type KnownRegistry } from "./knownRegistries.ts";

/** A registry or issuer the verifier trusts, and where that trust came from (shown with every result). */
export type TrustedEntry = {
  readonly address: string;
  /** `eip155:<id>` when the entry holds on one chain only; undefined = on whatever chain the RPC serves. */
  readonly chainId: string | undefined;
  readonly source: string;
};

/** Everything `credreg verify` trusts, and where each value came from. Never read from the working directory. */
export type VerifierTrust = {
  readonly rpcUrl: string;
  readonly confirmations: number;
  readonly registries: readonly TrustedEntry[];
  /** undefined = any issuer the registry accredits. */
  readonly issuers: readonly TrustedEntry[] | undefined;
  readonly sources: Readonly<Record<"rpcUrl" | "confirmations", string>>;
  /** The user-level trust file that was read, if any. */
  readonly trustFile: string | undefined;
};

export type VerifierTrustFlags = {
  readonly "rpc-url"?: string | undefined;
  readonly registry?: string | undefined;
  readonly confirmations?: string | undefined;
  readonly "trusted-issuers"?: string | undefined;
};

/** The user-level trust file: CREDREG_TRUST_FILE, else $XDG_CONFIG_HOME/credreg/trust.json, else ~/.config/credreg/trust.json. */
export function userTrustFile(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (env.CREDREG_TRUST_FILE) return path.resolve(env.CREDREG_TRUST_FILE);
  return path.join(env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(home, ".config"), "credreg", "trust.json");
}

type TrustFile = { rpcUrl?: string; confirmations?: number; registries: KnownRegistry[]; issuers?: { address: string; chainId?: string }[] };

const FIX_FILE = 'A JSON object: { "format": "credreg-trust-v1", "registries": [{ "chainId": "eip155:1", "address": "0x…", "name": "…" }], "issuers": [{ "address": "0x…" }], "rpcUrl": "https://…" }.';

function readTrustFile(file: string): TrustFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new InvalidConfigError(`The trust file ${file}`, `cannot be read (${(error as Error).message})`, "Fix its permissions, or set CREDREG_TRUST_FILE to another file.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidConfigError(`The trust file ${file}`, `is not JSON (${(error as Error).message})`, FIX_FILE);
  }
  const record = value as Record<string, unknown>;
  if (value === null || typeof value !== "object" || Array.isArray(value) || record.format !== "credreg-trust-v1") {
    throw new InvalidConfigError(`The trust file ${file}`, 'is not a "credreg-trust-v1" object', FIX_FILE);
  }
  for (const key of Object.keys(record)) {
    if (!["format", "rpcUrl", "confirmations", "registries", "issuers"].includes(key)) throw new InvalidConfigError(`The trust file ${file}`, `has an unknown setting "${key}"`, FIX_FILE);
  }
  const list = (name: "registries" | "issuers") => {
    const entries = record[name] ?? [];
    if (!Array.isArray(entries)) throw new InvalidConfigError(`The trust file ${file}`, `has "${name}" that is not a list`, FIX_FILE);
    return entries.map((entry: unknown, index) => {
      const item = entry as Record<string, unknown>;
      if (item === null || typeof item !== "object" || typeof item.address !== "string" || !isAddress(item.address)) {
        throw new InvalidConfigError(`The trust file ${file}`, `has ${name}[${index}] without a valid "address"`, FIX_FILE);
      }
      if (item.chainId !== undefined && (typeof item.chainId !== "string" || !/^eip155:[1-9]\d*$/.test(item.chainId))) {
        throw new InvalidConfigError(`The trust file ${file}`, `has ${name}[${index}].chainId ${JSON.stringify(item.chainId)}, not eip155:<id>`, FIX_FILE);
      }
      return { address: getAddress(item.address), chainId: item.chainId as string | undefined, name: typeof item.name === "string" ? item.name : undefined };
    });
  };
  return {
    rpcUrl: typeof record.rpcUrl === "string" ? record.rpcUrl : undefined,
    confirmations: typeof record.confirmations === "number" ? record.confirmations : undefined,
    registries: list("registries") as KnownRegistry[],
    issuers: record.issuers === undefined ? undefined : list("issuers"),
  };
}

function addressList(text: string, source: string, fix: string): TrustedEntry[] {
  return text.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "").map((entry) => {
    if (!isAddress(entry)) throw new InvalidConfigError(`A trusted address (${source})`, `is ${JSON.stringify(entry)}, not an address`, fix);
    return { address: getAddress(entry), chainId: undefined, source };
  });
}

/**
 * What `credreg verify` trusts. Never from the working directory (no ./credreg.config.json, no ./deployments): a
 * credential's folder may come from its holder. Registries: `--registry` (comma-separated), else
 * CREDREG_TRUSTED_REGISTRIES, else CREDREG_REGISTRY, else the user-level trust file and the list shipped with the
 * package (known public deployments). Issuers: `--trusted-issuers`, else CREDREG_TRUSTED_ISSUERS, else the trust
 * file's `issuers`, else any issuer the registry accredits. Throws {@link NoTrustedRegistryError} when no registry
 * is trusted at all.
 */
export function resolveVerifierTrust(flags: VerifierTrustFlags = {}, env: NodeJS.ProcessEnv = process.env, options: { home?: string; known?: readonly KnownRegistry[] } = {}): VerifierTrust {
  const trustFile = userTrustFile(env, options.home);
  const file = readTrustFile(trustFile);
  const fileSource = `trust file ${trustFile}`;
  const fix = "Give 0x-prefixed 20-byte addresses, separated by commas.";

  let registries: TrustedEntry[];
  if (flags.registry !== undefined) registries = addressList(flags.registry, "flag --registry", fix);
  else if (env.CREDREG_TRUSTED_REGISTRIES?.trim()) registries = addressList(env.CREDREG_TRUSTED_REGISTRIES, "environment (CREDREG_TRUSTED_REGISTRIES)", fix);
  else if (env.CREDREG_REGISTRY?.trim()) registries = addressList(env.CREDREG_REGISTRY, "environment (CREDREG_REGISTRY)", fix);
  else {
    registries = [
      ...(file?.registries ?? []).map((entry) => ({ address: entry.address, chainId: entry.chainId, source: fileSource })),
      ...(options.known ?? KNOWN_REGISTRIES).map((entry) => ({ address: getAddress(entry.address), chainId: entry.chainId, source: `known deployment shipped with credreg (${entry.name})` })),
    ];
  }
  if (registries.length === 0) throw new NoTrustedRegistryError(trustFile);

  let issuers: TrustedEntry[] | undefined;
  if (flags["trusted-issuers"] !== undefined) issuers = addressList(flags["trusted-issuers"], "flag --trusted-issuers", fix);
  else if (env.CREDREG_TRUSTED_ISSUERS?.trim()) issuers = addressList(env.CREDREG_TRUSTED_ISSUERS, "environment (CREDREG_TRUSTED_ISSUERS)", fix);
  else if (file?.issuers !== undefined) issuers = file.issuers.map((entry) => ({ address: entry.address, chainId: entry.chainId, source: fileSource }));

  const pick = (flag: string | undefined, variable: string, fileValue: unknown, fallback: string): [string, string] => {
    if (flag !== undefined) return [flag, "flag"];
    if (env[variable]?.trim()) return [env[variable]!.trim(), `environment (${variable})`];
    if (fileValue !== undefined) return [String(fileValue), fileSource];
    return [fallback, "default"];
  };
  const [rpcUrl, rpcSource] = pick(flags["rpc-url"], "CREDREG_RPC_URL", file?.rpcUrl, DEFAULT_RPC_URL);
  if (!/^https?:\/\/\S+$/.test(rpcUrl)) throw new InvalidConfigError("The RPC URL", `(${rpcSource}) is ${JSON.stringify(rpcUrl)}, not an http(s) URL`, "Set --rpc-url or CREDREG_RPC_URL to e.g. http://127.0.0.1:8545.");
  const [confirmationsText, confirmationsSource] = pick(flags.confirmations, "CREDREG_CONFIRMATIONS", file?.confirmations, "1");
  if (!/^\d+$/.test(confirmationsText) || Number(confirmationsText) < 1 || Number(confirmationsText) > 1000) {
    throw new InvalidConfigError("The confirmations", `(${confirmationsSource}) are ${JSON.stringify(confirmationsText)}`, "Give a whole number from 1 to 1000.");
  }
  return { rpcUrl, confirmations: Number(confirmationsText), registries, issuers, sources: { rpcUrl: rpcSource, confirmations: confirmationsSource }, trustFile: file === undefined ? undefined : trustFile };
}

/** The entries of `entries` that hold on `chainId` (`eip155:<id>`). */
export function trustedOn(entries: readonly TrustedEntry[], chainId: string): TrustedEntry[] {
  return entries.filter((entry) => entry.chainId === undefined || entry.chainId === chainId);
}
