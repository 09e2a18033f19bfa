import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isAddress } from "ethers";
import { InvalidConfigError } from "../errors/configErrors.ts";

/** Everything credreg needs to reach the chain and keep its records. The signer's key is never part of it. */
export type CredregConfig = {
  readonly rpcUrl: string;
  /** The registry address; undefined = the deployments file of the RPC's chain. */
  readonly registry: string | undefined;
  readonly confirmations: number;
  /** An encrypted JSON keystore (ethers), used when CREDREG_PRIVATE_KEY is not set. */
  readonly keystore: string | undefined;
  /** The issuer's SQLite store. */
  readonly store: string;
  readonly deploymentsDir: string;
  /** If set, the RPC must serve this chain id. */
  readonly chainId: bigint | undefined;
  /** Where each value came from (flag, environment, config file, default), for `--json` and error messages. */
  readonly sources: Readonly<Record<string, string>>;
};

/** The flags every command accepts (all optional). */
export type ConfigFlags = {
  "rpc-url"?: string | undefined;
  registry?: string | undefined;
  confirmations?: string | undefined;
  keystore?: string | undefined;
  store?: string | undefined;
  config?: string | undefined;
  "chain-id"?: string | undefined;
};

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_CONFIG_FILE = "credreg.config.json";
export const DEFAULT_STORE = ".credreg/issuer.sqlite";

const FILE_KEYS = ["rpcUrl", "registry", "confirmations", "keystore", "store", "deploymentsDir", "chainId"] as const;

function readConfigFile(file: string, explicit: boolean): Record<string, unknown> {
  if (!existsSync(file)) {
    if (explicit) throw new InvalidConfigError("--config", `names ${file}, which does not exist`, "Give the path of a credreg.config.json file.");
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InvalidConfigError(file, `is not valid JSON (${(error as Error).message})`, "Fix the file: a JSON object with rpcUrl, registry, confirmations, keystore, store, deploymentsDir, chainId.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidConfigError(file, "is not a JSON object", "Give an object such as { \"rpcUrl\": \"https://...\", \"confirmations\": 2 }.");
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (/key|secret|password|mnemonic/i.test(key) && key !== "keystore") {
      throw new InvalidConfigError(file, `holds "${key}"`, "Never put keys or passwords in a config file: use CREDREG_PRIVATE_KEY, or CREDREG_KEYSTORE with CREDREG_KEYSTORE_PASSWORD.");
    }
    if (!(FILE_KEYS as readonly string[]).includes(key)) {
      throw new InvalidConfigError(file, `has an unknown setting "${key}"`, `Known settings: ${FILE_KEYS.join(", ")}.`);
    }
  }
  return record;
}

/**
 * Resolves the configuration with the precedence flags > environment (CREDREG_*) > config file
 * (`--config`, CREDREG_CONFIG or ./credreg.config.json) > defaults, and checks every value.
 */
export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CredregConfig {
  const explicitFile = flags.config ?? env.CREDREG_CONFIG;
  const configFile = path.resolve(cwd, explicitFile ?? DEFAULT_CONFIG_FILE);
  const file = readConfigFile(configFile, explicitFile !== undefined);
  const sources: Record<string, string> = {};
  const pick = (name: string, flag: string | undefined, variable: string | undefined, fileValue: unknown, fallback?: string): string | undefined => {
    const envValue = variable === undefined ? undefined : env[variable]?.trim() || undefined;
    if (flag !== undefined) sources[name] = "flag";
    else if (envValue !== undefined) sources[name] = `environment (${variable})`;
    else if (fileValue !== undefined) sources[name] = `config file (${configFile})`;
    else if (fallback !== undefined) sources[name] = "default";
    return flag ?? envValue ?? (fileValue === undefined ? undefined : String(fileValue)) ?? fallback;
  };

  const rpcUrl = pick("rpcUrl", flags["rpc-url"], "CREDREG_RPC_URL", file.rpcUrl, DEFAULT_RPC_URL)!;
  if (!/^https?:\/\/\S+$/.test(rpcUrl)) throw new InvalidConfigError("The RPC URL", `(${sources.rpcUrl}) is ${JSON.stringify(rpcUrl)}, not an http(s) URL`, "Set --rpc-url or CREDREG_RPC_URL to e.g. http://127.0.0.1:8545.");
  const registry = pick("registry", flags.registry, "CREDREG_REGISTRY", file.registry);
  if (registry !== undefined && !isAddress(registry)) {
    throw new InvalidConfigError("The registry address", `(${sources.registry}) is ${JSON.stringify(registry)}, not an address`, "Give the 0x address of the CredentialRegistry, or leave it out to use deployments/<chainId>.json.");
  }
  const confirmationsText = pick("confirmations", flags.confirmations, "CREDREG_CONFIRMATIONS", file.confirmations, "1")!;
  if (!/^\d+$/.test(confirmationsText) || Number(confirmationsText) < 1 || Number(confirmationsText) > 1000) {
    throw new InvalidConfigError("The confirmations", `(${sources.confirmations}) are ${JSON.stringify(confirmationsText)}`, "Give a whole number from 1 to 1000.");
  }
  const chainIdText = pick("chainId", flags["chain-id"], "CREDREG_CHAIN_ID", file.chainId);
  if (chainIdText !== undefined && !/^[1-9]\d*$/.test(chainIdText)) {
    throw new InvalidConfigError("The chain id", `(${sources.chainId}) is ${JSON.stringify(chainIdText)}`, "Give a positive whole number, e.g. 11155111.");
  }
  return {
    rpcUrl,
    registry,
    confirmations: Number(confirmationsText),
    keystore: pick("keystore", flags.keystore, "CREDREG_KEYSTORE", file.keystore),
    store: path.resolve(cwd, pick("store", flags.store, "CREDREG_STORE", file.store, DEFAULT_STORE)!),
    deploymentsDir: path.resolve(cwd, pick("deploymentsDir", undefined, "CREDREG_DEPLOYMENTS_DIR", file.deploymentsDir, "deployments")!),
    chainId: chainIdText === undefined ? undefined : BigInt(chainIdText),
    sources,
  };
}
