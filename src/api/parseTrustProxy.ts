import { isIP } from "node:net";
import { InvalidInputError } from "../errors/issuerErrors.ts";

/** Which proxies in front of the server are trusted to say who the client is (express's `trust proxy`). */
export type TrustProxy = false | number | readonly string[];

const NAMED = new Set(["loopback", "linklocal", "uniquelocal"]);

function isAddressOrSubnet(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [address, bits, extra] = entry.split("/");
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * The value of `--trust-proxy`: `false` (the default: the socket's address is the client, X-Forwarded-For is
 * ignored), a number of proxy hops (`1`: one reverse proxy in front), or a comma-separated list of the proxies'
 * addresses, subnets, or `loopback` / `linklocal` / `uniquelocal`. `true` (trust every hop, so any client can name
 * itself anyone) is refused.
 */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (text === "false" || text === "0") return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) throw new InvalidInputError(`--trust-proxy ${value}: at most 32 proxy hops.`);
    return hops;
  }
  if (text === "true") {
    throw new InvalidInputError("--trust-proxy true would let any client choose its own address (and its rate-limit bucket).", [
      "Give the number of proxies in front of the server (--trust-proxy 1), or their addresses (--trust-proxy loopback,10.0.0.0/8).",
    ]);
  }
  const entries = text.split(",").map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrSubnet(entry));
  if (entries.length === 0 || bad.length > 0) {
    throw new InvalidInputError(`--trust-proxy ${value} is not a hop count or a list of proxy addresses.`, [
      `Not an address, a subnet (a.b.c.d/n) or loopback/linklocal/uniquelocal: ${bad.join(", ") || "(empty)"}.`,
      "Examples: --trust-proxy 1, --trust-proxy loopback, --trust-proxy 10.0.0.0/8,fd00::/8.",
    ]);
  }
  return entries;
}
