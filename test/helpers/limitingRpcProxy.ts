import { createServer, request, type Server } from "node:http";

export type LimitingProxy = {
  readonly url: string;
  /** eth_getLogs calls refused for their range. */
  refused(): number;
  /** Calls answered with a rate-limit error. */
  rateLimited(): number;
  close(): Promise<void>;
};

type Call = { id: number; method: string; params: { fromBlock?: string; toBlock?: string }[] };

/**
 * A real HTTP proxy on 127.0.0.1 in front of a node that behaves like a public RPC: it refuses eth_getLogs over more
 * than `maxRange` blocks (JSON-RPC -32005 "query exceeds max block range"), and, with `rateLimitEvery`, answers
 * every n-th request (of `rateLimitOnly` calls, if given) with a rate limit (alternately HTTP 429 and JSON-RPC
 * -32005 "rate limit exceeded").
 */
export function limitingRpcProxy(target: string, options: { maxRange: number; rateLimitEvery?: number; rateLimitOnly?: string }): Promise<LimitingProxy> {
  let refused = 0;
  let rateLimited = 0;
  let requests = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const payload = JSON.parse(body.toString()) as Call | Call[];
      const calls = Array.isArray(payload) ? payload : [payload];
      const answer = (status: number, document: unknown) => {
        outgoing.writeHead(status, { "content-type": "application/json" });
        outgoing.end(JSON.stringify(document));
      };
      if (options.rateLimitOnly === undefined || calls.some((call) => call.method === options.rateLimitOnly)) requests += 1;
      if (options.rateLimitEvery !== undefined && requests > 0 && requests % options.rateLimitEvery === 0 && (options.rateLimitOnly === undefined || calls.some((call) => call.method === options.rateLimitOnly))) {
        rateLimited += 1;
        if (rateLimited % 2 === 1) answer(429, { jsonrpc: "2.0", id: null, error: { code: 429, message: "Too Many Requests" } });
        else {
          const error = (call: Call) => ({ jsonrpc: "2.0", id: call.id, error: { code: -32005, message: "rate limit exceeded, retry later" } });
          answer(200, Array.isArray(payload) ? calls.map(error) : error(calls[0]!));
        }
        return;
      }
      const tooWide = calls.find((call) => call.method === "eth_getLogs" && Number(BigInt(call.params[0]!.toBlock!)) - Number(BigInt(call.params[0]!.fromBlock!)) + 1 > options.maxRange);
      if (tooWide !== undefined) {
        refused += 1;
        const error = (call: Call) => ({ jsonrpc: "2.0", id: call.id, error: { code: -32005, message: `query exceeds max block range ${options.maxRange}` } });
        answer(200, Array.isArray(payload) ? calls.map(error) : error(tooWide));
        return;
      }
      const forward = request(target, { method: "POST", headers: { "content-type": "application/json" } }, (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, { "content-type": "application/json" });
        reply.pipe(outgoing);
      });
      forward.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        refused: () => refused,
        rateLimited: () => rateLimited,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
