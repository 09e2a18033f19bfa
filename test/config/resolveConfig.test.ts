import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { encryptKeystoreJson, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { rejectionOf } from "../helpers/rejectionOf.ts";
import { loadSigner } from "../../src/config/loadSigner.ts";
import { DEFAULT_RPC_URL, resolveConfig } from "../../src/config/resolveConfig.ts";
import { InvalidConfigError } from "../../src/errors/configErrors.ts";

const REGISTRY_A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const REGISTRY_B = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

describe("resolveConfig", () => {
  it("default: local node, one confirmation, store and deployments under the working directory", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "credreg-config-"));
    const config = resolveConfig({}, {}, cwd);
    expect(config).toMatchObject({ rpcUrl: DEFAULT_RPC_URL, registry: undefined, confirmations: 1, keystore: undefined, chainId: undefined });
    expect(config.store).toBe(path.join(cwd, ".credreg/issuer.sqlite"));
    expect(config.sources.rpcUrl).toBe("default");
  });

  it("behavior: flags beat the environment, which beats the config file", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "credreg-config-"));
    await writeFile(path.join(cwd, "credreg.config.json"), JSON.stringify({ rpcUrl: "https://file.example", registry: REGISTRY_A, confirmations: 3, store: "file.sqlite" }));
    const fromFile = resolveConfig({}, {}, cwd);
    expect(fromFile).toMatchObject({ rpcUrl: "https://file.example", registry: REGISTRY_A, confirmations: 3, store: path.join(cwd, "file.sqlite") });
    const fromEnv = resolveConfig({}, { CREDREG_RPC_URL: "https://env.example", CREDREG_CONFIRMATIONS: "5" }, cwd);
    expect(fromEnv).toMatchObject({ rpcUrl: "https://env.example", registry: REGISTRY_A, confirmations: 5 });
    expect(fromEnv.sources).toMatchObject({ rpcUrl: "environment (CREDREG_RPC_URL)", registry: `config file (${path.join(cwd, "credreg.config.json")})` });
    const fromFlags = resolveConfig({ "rpc-url": "https://flag.example", registry: REGISTRY_B }, { CREDREG_RPC_URL: "https://env.example", CREDREG_REGISTRY: REGISTRY_A }, cwd);
    expect(fromFlags).toMatchObject({ rpcUrl: "https://flag.example", registry: REGISTRY_B, confirmations: 3 });
  });

  it("error: bad values say which setting and where it came from; keys never belong in a config file", async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), "credreg-config-"));
    expect(() => resolveConfig({ confirmations: "0" }, {}, cwd)).toThrowError('The confirmations (flag) are "0".');
    expect(() => resolveConfig({}, { CREDREG_REGISTRY: "0x12" }, cwd)).toThrowError('The registry address (environment (CREDREG_REGISTRY)) is "0x12", not an address.');
    expect(() => resolveConfig({}, { CREDREG_RPC_URL: "ftp://x" }, cwd)).toThrowError(InvalidConfigError);
    expect(() => resolveConfig({ config: "missing.json" }, {}, cwd)).toThrowError("--config names");
    await writeFile(path.join(cwd, "credreg.config.json"), JSON.stringify({ privateKey: "0xabc" }));
    expect(() => resolveConfig({}, {}, cwd)).toThrowError(`${path.join(cwd, "credreg.config.json")} holds "privateKey".`);
    await writeFile(path.join(cwd, "credreg.config.json"), JSON.stringify({ rpcURL: "typo" }));
    expect(() => resolveConfig({}, {}, cwd)).toThrowError('has an unknown setting "rpcURL"');
  });
});

describe("loadSigner", () => {
  it("default: from CREDREG_PRIVATE_KEY; else an encrypted keystore with its password from the environment", async () => {
    const wallet = Wallet.createRandom();
    expect((await loadSigner(undefined, { CREDREG_PRIVATE_KEY: wallet.privateKey })).address).toBe(wallet.address);
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-keystore-"));
    const keystore = path.join(dir, "issuer.json");
    await writeFile(keystore, await encryptKeystoreJson({ address: wallet.address, privateKey: wallet.privateKey }, "correct horse", { scrypt: { N: 1024 } }));
    expect((await loadSigner(keystore, { CREDREG_KEYSTORE_PASSWORD: "correct horse" })).address).toBe(wallet.address);
  });

  it("error: a bad key, a wrong password, no signer, and never the secret in the message", async () => {
    const bad = await rejectionOf(loadSigner(undefined, { CREDREG_PRIVATE_KEY: "0xnot-a-key-secret" }));
    expect(bad.message).toContain("CREDREG_PRIVATE_KEY is not a valid private key (its value is not shown).");
    expect(bad.message).not.toContain("not-a-key-secret");
    const dir = await mkdtemp(path.join(tmpdir(), "credreg-keystore-"));
    const keystore = path.join(dir, "issuer.json");
    const other = Wallet.createRandom();
    await writeFile(keystore, await encryptKeystoreJson({ address: other.address, privateKey: other.privateKey }, "right", { scrypt: { N: 1024 } }));
    await expect(loadSigner(keystore, { CREDREG_KEYSTORE_PASSWORD: "wrong" })).rejects.toThrowError(`The keystore ${keystore} could not be decrypted.`);
    await expect(loadSigner(undefined, {})).rejects.toThrowError("The signer is not configured.");
  });
});
