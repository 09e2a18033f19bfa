import { BaseError } from "./BaseError.ts";

/** A configuration value (environment variable, flag, config file) is missing or malformed. */
export class InvalidConfigError extends BaseError {
  override name = "InvalidConfigError";
  readonly variable: string;

  constructor(variable: string, problem: string, fix: string) {
    super(`${variable} ${problem}.`, { metaMessages: [fix] });
    this.variable = variable;
  }
}

/** `credreg verify` has no registry to trust: none given, none in the user's trust file, none shipped. Exit 2. */
export class NoTrustedRegistryError extends BaseError {
  override name = "NoTrustedRegistryError";
  readonly trustFile: string;

  constructor(trustFile: string, chainId?: string) {
    super(chainId === undefined ? "No trusted registry configured; pass --registry." : `No trusted registry configured for ${chainId}; pass --registry.`, {
      metaMessages: [
        "Give the registry address you trust: --registry 0x… (or CREDREG_TRUSTED_REGISTRIES=0x…,0x…),",
        `or list it in your trust file ${trustFile} ({ "format": "credreg-trust-v1", "registries": [{ "chainId": "eip155:<id>", "address": "0x…" }] }).`,
        "A credential's folder is never trusted: its credreg.config.json and deployments/ are ignored by verify.",
      ],
    });
    this.trustFile = trustFile;
  }
}
