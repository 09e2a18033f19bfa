import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BaseError } from "../errors/BaseError.ts";

/** A `hardhat node` this process started on 127.0.0.1. */
export type LocalNode = {
  readonly url: string;
  readonly port: number;
  /** Stops the node and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
};

export type StartHardhatNodeOptions = {
  /** The port (default: a free one chosen by the OS). */
  port?: number | undefined;
  /** How long to wait for the node to answer (default 60 s). */
  timeoutMs?: number | undefined;
  /** The chain id to serve (default: Hardhat's 31337). */
  chainId?: number | undefined;
};

/** The local node did not come up. */
export class LocalNodeError extends BaseError {
  override name = "LocalNodeError";
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Starts `hardhat node --hostname 127.0.0.1` (loopback only) with this project's config and waits until it answers
 * JSON-RPC. The node runs with the same Node.js binary as this process.
 */
export async function startHardhatNode(options: StartHardhatNodeOptions = {}): Promise<LocalNode> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  if (await answers(url)) {
    throw new LocalNodeError(`Something already answers JSON-RPC at ${url}.`, {
      metaMessages: ["Stop it, or leave the port out to let a free one be chosen."],
    });
  }
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist/src/cli.js");
  const chainArgs = options.chainId === undefined ? [] : ["--chain-id", String(options.chainId)];
  const child = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", String(port), ...chainArgs], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await waitForExit(child, 5000);
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await answers(url))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new LocalNodeError("The local Hardhat node exited before it answered.", { details: output.trim() });
    }
    if (Date.now() > deadline) {
      await stop();
      throw new LocalNodeError(`The local Hardhat node did not answer at ${url} in time.`, { details: output.trim() });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, port, stop };
}
