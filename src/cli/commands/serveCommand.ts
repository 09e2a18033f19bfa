import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { parseTrustProxy } from "../../api/parseTrustProxy.ts";
import { startServer } from "../../api/startServer.ts";
import { loadSigner } from "../../config/loadSigner.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { connectSigner, openChain } from "../../chain/openChain.ts";
import { ApiKeyStore } from "../../store/ApiKeyStore.ts";
import { describeChainReset } from "../../store/describeChainReset.ts";
import { IssuerStore } from "../../store/IssuerStore.ts";
import { SERVER_BUSY_TIMEOUT_MS } from "../../store/openStoreDatabase.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { statusDirOf } from "../statusDirOf.ts";

/** `credreg serve`: the HTTP API until SIGTERM or SIGINT; the issuer routes too when an issuer key is configured. */
export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { host: { type: "string" }, port: { type: "string" }, out: { type: "string" }, "trust-proxy": { type: "string" }, "status-dir": { type: "string" } });
  const port = str(values.port) ?? "8080";
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new InvalidInputError(`--port ${port} is not a port number.`);
  // Behind a reverse proxy: which proxies may name the client (for the rate limits); none by default.
  const trustProxy = parseTrustProxy(str(values["trust-proxy"]) ?? "false");
  const config = resolveConfig(values);
  const logger = pino({ level: process.env.CREDREG_LOG_LEVEL ?? "info" }, pino.destination(2));
  const chain = await openChain(config);
  // With an issuer key configured, the issuer routes are served too (behind API keys bound to that issuer).
  const hasKey = Boolean(process.env.CREDREG_PRIVATE_KEY?.trim()) || config.keystore !== undefined;
  const issuer = hasKey
    ? {
        signer: connectSigner(chain, await loadSigner(config.keystore)),
        // SQLite's busy wait blocks the thread: the server's stores give up quickly instead of stalling every request.
        store: IssuerStore.open(config.store, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS }),
        keys: ApiKeyStore.open(config.store, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS }),
        outDir: path.resolve(str(values.out) ?? ".credreg/api-batches"),
        statusDir: statusDirOf(values, config),
      }
    : undefined;
  if (issuer) {
    await mkdir(issuer.outDir, { recursive: true });
    const reset = issuer.store.useChain(chain.chainId.toString(), chain.genesisHash);
    if (reset !== undefined) logger.warn({ chainId: reset.chainId, genesisHash: reset.genesisHash, previousGenesisHash: reset.previousGenesisHash }, describeChainReset(reset));
  }
  const running = await startServer({ chain, store: config.store, confirmations: config.confirmations, logger, host: str(values.host) ?? "127.0.0.1", port: Number(port), app: { issuer, rpcUrl: config.rpcUrl, trustProxy, statusDir: statusDirOf(values, config) } });
  process.stdout.write(`credreg serving ${running.url} (registry ${chain.registryAddress} on chain ${chain.chainId}${issuer ? `, issuing as ${await issuer.signer.getAddress()}` : ""}); API description at ${running.url}/openapi.json\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void running.close().then(resolve);
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}
