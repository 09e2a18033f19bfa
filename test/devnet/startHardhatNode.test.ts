import { describe, expect, it } from "vitest";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { LocalNodeError, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import { RpcUnavailableError } from "../../src/errors/chainErrors.ts";
import { HDNodeWallet } from "ethers";

describe("startHardhatNode and connectRpc", () => {
  it("default: a real `hardhat node` on 127.0.0.1 serves JSON-RPC; the library deploys through it; stop() ends it", async () => {
    const node = await startHardhatNode();
    try {
      expect(node.url).toBe(`http://127.0.0.1:${node.port}`);
      const { provider, chainId } = await connectRpc(node.url, { pollingIntervalMs: 100 });
      expect(chainId).toBe(31337n);
      const signer = HDNodeWallet.fromPhrase("test test test test test test test test test test test junk").connect(provider);
      const deployment = await deployRegistry({ signer });
      expect(await provider.getCode(deployment.address)).not.toBe("0x");
      const registry = registryContract(deployment.address, provider);
      expect(await registry.getFunction("MAX_REASON")()).toBe(9n);
      // A second node on the same port is refused with a clear error.
      await expect(startHardhatNode({ port: node.port })).rejects.toThrowError(LocalNodeError);
      provider.destroy();
    } finally {
      await node.stop();
    }
    await expect(connectRpc(node.url, { timeoutMs: 2000 })).rejects.toThrowError(RpcUnavailableError);
    await node.stop(); // idempotent
  });

  it("error: connectRpc names the URL and what to check, for a bad URL, a bad scheme and a closed port", async () => {
    await expect(connectRpc("not a url")).rejects.toThrowError("Could not reach the JSON-RPC endpoint at not a url.");
    const scheme = await connectRpc("ftp://127.0.0.1:1").catch((error: unknown) => error as RpcUnavailableError);
    expect(scheme).toBeInstanceOf(RpcUnavailableError);
    expect((scheme as RpcUnavailableError).details).toBe("unsupported scheme ftp: (use http:// or https://)");
    const closed = await connectRpc("http://127.0.0.1:9", { timeoutMs: 2000 }).catch((error: unknown) => error as RpcUnavailableError);
    expect(closed).toBeInstanceOf(RpcUnavailableError);
    expect((closed as RpcUnavailableError).message).toContain("CREDREG_RPC_URL");
  });
});
