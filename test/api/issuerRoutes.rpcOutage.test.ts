import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { HDNodeWallet, Wallet } from "ethers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/api/startServer.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import { resolveConfig } from "../../src/config/resolveConfig.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { connectSigner, openChain } from "../../src/chain/openChain.ts";
import { ApiKeyStore } from "../../src/store/ApiKeyStore.ts";
import { IssuerStore } from "../../src/store/IssuerStore.ts";
import { sampleAchievement } from "../helpers/sampleCredentials.ts";

const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public development accounts
const dev = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

let node: LocalNode;
let server: RunningServer;
let proxy: Server;
let proxyUrl: string;
let key: string;
/** Once set, the proxy stops: the request that asked for this method and every later connection are cut. */
let stopAt: string | undefined;
let stopped = false;
const sockets = new Set<Socket>();

beforeAll(async () => {
  node = await startHardhatNode();
  // A proxy in front of the node that can go down in the middle of an API request.
  proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (stopAt !== undefined && body.includes(`"${stopAt}"`)) stopped = true;
      if (stopped) {
        for (const socket of sockets) socket.destroy();
        proxy.close();
        return;
      }
      const upstream = await fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body });
      response.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
    });
  });
  proxy.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;

  const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const governor = dev(0).connect(provider);
  const deployment = await deployRegistry({ signer: governor });
  await sendRegistryTransaction(registryContract(deployment.address, governor), "accreditIssuer", [dev(1).address, "Key University", "https://key.example/issuer"]);
  provider.destroy();

  const dir = await mkdtemp(path.join(tmpdir(), "credreg-api-outage-"));
  const storeFile = path.join(dir, "store.sqlite");
  const keys = ApiKeyStore.open(storeFile);
  key = keys.create(dev(1).address, "registrar").key;
  keys.close();
  const chain = await openChain(resolveConfig({ "rpc-url": proxyUrl, registry: deployment.address, store: storeFile }, {}, dir));
  server = await startServer({
    chain,
    store: storeFile,
    confirmations: 1,
    logger: pino({ level: "silent" }),
    port: 0,
    app: { issuer: { signer: connectSigner(chain, new Wallet(dev(1).privateKey)), store: IssuerStore.open(storeFile), keys: ApiKeyStore.open(storeFile), outDir: dir } },
  });
});

afterAll(async () => {
  await server?.close();
  proxy?.close();
  await node?.stop();
});

describe("issuer routes when the RPC goes down", () => {
  it("error: the RPC going down in the middle of POST /v1/batches answers 502 ChainUnavailable, not 422 ChainRefused", async () => {
    stopAt = "eth_estimateGas";
    const response = await fetch(`${server.url}/v1/batches`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ recipients: [{ name: "Ada Lovelace" }], achievement: sampleAchievement }),
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(stopped, "the proxy went down during the request").toBe(true);
    expect(response.status, JSON.stringify(body)).toBe(502);
    expect(body.error.code).toBe("ChainUnavailable");
    expect(body.error.message).toMatch(/^The chain's RPC failed \([A-Z_]+\)\.$/);
    expect(JSON.stringify(body)).not.toContain(proxyUrl);
  });
});
