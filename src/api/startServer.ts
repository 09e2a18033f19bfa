import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createApiContext } from "./apiContext.ts";
import { type AppOptions, createApp } from "./createApp.ts";
import type { ChainContext } from "../chain/openChain.ts";

/** The request line and headers one request may carry (a public share link is up to 48,000 characters). */
const MAX_HEADER_BYTES = 64 * 1024;

export type RunningServer = {
  readonly url: string;
  readonly server: Server;
  /** Stops accepting connections, lets in-flight requests finish, then closes the chain and the index. */
  close(): Promise<void>;
};

/** Starts the API on `host:port` (127.0.0.1 by default; port 0 = any free port). */
export async function startServer(options: {
  chain: ChainContext;
  store: string;
  confirmations: number;
  logger: Logger;
  host?: string | undefined;
  port?: number | undefined;
  app?: AppOptions | undefined;
}): Promise<RunningServer> {
  const context = createApiContext(options.chain, options.store, options.confirmations, options.logger);
  const app = createApp(context, options.app);
  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<Server>((resolve, reject) => {
    // Headers up to 64 KiB (Node's default is 16): a public share link carries its credential in the path.
    const listening = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
    listening.once("error", reject);
    listening.listen(options.port ?? 8080, host, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  // While closing, a kept-alive connection whose last request just finished is idle: close it then, not when the
  // client drops it (else close() waits for the client's keep-alive timeout).
  server.on("request", (_request, response) => response.on("finish", () => closing !== undefined && setImmediate(() => server.closeIdleConnections())));
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          context.audit.close();
          options.app?.issuer?.store.close();
          options.app?.issuer?.keys.close();
          options.chain.close();
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
