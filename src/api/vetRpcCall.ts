import { ApiError } from "./ApiError.ts";

/** What /rpc lets through to the chain: reads of one registry, bounded. */
export type RpcCallPolicy = {
  /** The registry the page verifies against: with its key registry, the only `to` of eth_call, address of eth_getLogs and eth_getCode. */
  readonly registry: string;
  /**
   * The registry's IssuerKeyRegistry (format 2 signing keys), derived from the registry's address
   * (`keyRegistryAddressOf`): the signature step reads a key's binding there.
   */
  readonly keyRegistry: string;
  /** Gas of one eth_call: a call without `gas` is sent with this; one asking for more is refused. */
  readonly maxGas: bigint;
  /** Blocks one eth_getLogs may span (`toBlock - fromBlock + 1`); wider is answered "block range too large". */
  readonly maxLogBlocks: number;
};

/** A call to send to the chain: only the members checked here, nothing else the client sent. */
export type VettedCall = { readonly method: string; readonly params: readonly unknown[] };

/**
 * The verdict on one JSON-RPC call: forward it (as rebuilt), answer it here with a JSON-RPC error (a log range too
 * wide: the caller's adaptive reader halves its range on "block range"), or refuse the whole request.
 */
export type RpcCallVerdict =
  | { readonly kind: "forward"; readonly call: VettedCall }
  | { readonly kind: "answer"; readonly error: { readonly code: number; readonly message: string } }
  | { readonly kind: "refuse"; readonly error: ApiError };

/** The methods a verification reads with (src/verifier through ethers); everything else is refused. */
export const FORWARDED_METHODS = ["eth_chainId", "eth_blockNumber", "eth_getCode", "eth_call", "eth_getLogs", "eth_getBlockByNumber"] as const;

const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]{0,15})$/i;
const HASH = /^0x[0-9a-f]{64}$/i;
const DATA = /^0x([0-9a-f]{2})*$/i;
const ADDRESS = /^0x[0-9a-f]{40}$/i;
const TAGS = new Set(["latest", "safe", "finalized", "earliest", "pending"]);
const CALL_FIELDS = new Set(["to", "data", "input", "from", "gas"]);
const FILTER_FIELDS = new Set(["address", "topics", "fromBlock", "toBlock", "blockHash"]);

/** Why a call is not forwarded (thrown inside this file, turned into a 403 by vetRpcCall). */
class Refusal extends Error {
  override name = "Refusal";
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

function onlyFields(value: Record<string, unknown>, allowed: ReadonlySet<string>, what: string): void {
  const extra = Object.keys(value).filter((key) => !allowed.has(key));
  if (extra.length > 0) throw new Refusal(`${what} may hold only ${[...allowed].join(", ")} (not ${extra.join(", ")})`);
}

/** A block tag, a block number, or an EIP-1898 { blockHash } / { blockNumber } object. */
function blockParam(value: unknown, what: string): unknown {
  if (value === undefined) return "latest";
  if (typeof value === "string" && (TAGS.has(value) || QUANTITY.test(value))) return value;
  if (isRecord(value)) {
    onlyFields(value, new Set(["blockHash", "blockNumber", "requireCanonical"]), what);
    if (typeof value.blockHash === "string" && HASH.test(value.blockHash) && value.blockNumber === undefined) return { blockHash: value.blockHash, ...(value.requireCanonical === true ? { requireCanonical: true } : {}) };
    if (typeof value.blockNumber === "string" && QUANTITY.test(value.blockNumber) && value.blockHash === undefined) return { blockNumber: value.blockNumber };
  }
  throw new Refusal(`${what} must be a block tag or number`);
}

function paramsOf(call: Record<string, unknown>, most: number): unknown[] {
  const params = call.params ?? [];
  if (!Array.isArray(params)) throw new Refusal("params must be an array");
  if (params.length > most) throw new Refusal(`${String(call.method)} takes at most ${most} params here (state and block overrides are not forwarded)`);
  return params;
}

function registryAddress(value: unknown, policy: RpcCallPolicy, what: string): string {
  const allowed = typeof value === "string" && ADDRESS.test(value) && [policy.registry, policy.keyRegistry].some((address) => address.toLowerCase() === value.toLowerCase());
  if (!allowed) throw new Refusal(`${what} must be the registry ${policy.registry} or its key registry ${policy.keyRegistry}`);
  return value;
}

function vetCall(params: unknown[], policy: RpcCallPolicy): VettedCall {
  const [transaction, block] = params;
  if (!isRecord(transaction)) throw new Refusal("eth_call needs a call object");
  onlyFields(transaction, CALL_FIELDS, "the eth_call object");
  const to = registryAddress(transaction.to, policy, "eth_call's to");
  const data = transaction.data ?? transaction.input ?? "0x";
  if (typeof data !== "string" || !DATA.test(data) || (transaction.data !== undefined && transaction.input !== undefined && transaction.data !== transaction.input)) throw new Refusal("eth_call's data must be hex bytes");
  if (transaction.from !== undefined && (typeof transaction.from !== "string" || !ADDRESS.test(transaction.from))) throw new Refusal("eth_call's from must be an address");
  let gas = policy.maxGas;
  if (transaction.gas !== undefined) {
    if (typeof transaction.gas !== "string" || !QUANTITY.test(transaction.gas)) throw new Refusal("eth_call's gas must be a hex quantity");
    gas = BigInt(transaction.gas);
    if (gas > policy.maxGas) throw new Refusal(`eth_call's gas may be at most ${policy.maxGas}`);
  }
  return { method: "eth_call", params: [{ to, data, ...(transaction.from === undefined ? {} : { from: transaction.from }), gas: `0x${gas.toString(16)}` }, blockParam(block, "eth_call's block")] };
}

function vetTopics(value: unknown): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length > 4) throw new Refusal("topics must be an array of at most 4 positions");
  return value.map((position) => {
    if (position === null || (typeof position === "string" && HASH.test(position))) return position;
    if (Array.isArray(position) && position.length > 0 && position.length <= 8 && position.every((topic) => typeof topic === "string" && HASH.test(topic))) return position;
    throw new Refusal("each topic must be null, a 32-byte hash, or a list of at most 8");
  });
}

function vetLogs(params: unknown[], policy: RpcCallPolicy): RpcCallVerdict {
  const [filter] = params;
  if (!isRecord(filter)) throw new Refusal("eth_getLogs needs a filter object");
  onlyFields(filter, FILTER_FIELDS, "the eth_getLogs filter");
  const addresses = Array.isArray(filter.address) ? filter.address : [filter.address];
  if (addresses.length === 0) throw new Refusal("eth_getLogs's address must be the registry");
  const address = registryAddress(addresses[0], policy, "eth_getLogs's address");
  for (const other of addresses) registryAddress(other, policy, "eth_getLogs's address");
  const topics = vetTopics(filter.topics);
  const rest = topics === undefined ? {} : { topics };
  if (filter.blockHash !== undefined) {
    if (filter.fromBlock !== undefined || filter.toBlock !== undefined || typeof filter.blockHash !== "string" || !HASH.test(filter.blockHash)) throw new Refusal("eth_getLogs takes a blockHash, or fromBlock and toBlock");
    return { kind: "forward", call: { method: "eth_getLogs", params: [{ address, ...rest, blockHash: filter.blockHash }] } };
  }
  const { fromBlock, toBlock } = filter;
  if (typeof fromBlock !== "string" || typeof toBlock !== "string" || !QUANTITY.test(fromBlock) || !QUANTITY.test(toBlock)) throw new Refusal("eth_getLogs's fromBlock and toBlock must be block numbers (hex)");
  const blocks = BigInt(toBlock) - BigInt(fromBlock) + 1n;
  if (blocks > BigInt(policy.maxLogBlocks)) {
    return { kind: "answer", error: { code: -32005, message: `block range too large: this server reads at most ${policy.maxLogBlocks} blocks per eth_getLogs, asked ${blocks}` } };
  }
  return { kind: "forward", call: { method: "eth_getLogs", params: [{ address, ...rest, fromBlock, toBlock }] } };
}

function vet(call: Record<string, unknown>, method: string, policy: RpcCallPolicy): RpcCallVerdict {
  switch (method) {
    case "eth_chainId":
    case "eth_blockNumber":
      paramsOf(call, 0);
      return { kind: "forward", call: { method, params: [] } };
    case "eth_getCode": {
      const params = paramsOf(call, 2);
      return { kind: "forward", call: { method, params: [registryAddress(params[0], policy, "eth_getCode's address"), blockParam(params[1], "eth_getCode's block")] } };
    }
    case "eth_getBlockByNumber": {
      const [block, full] = paramsOf(call, 2);
      if (full !== undefined && full !== false) throw new Refusal("eth_getBlockByNumber is forwarded without full transactions (false)");
      if (typeof block !== "string" || !(TAGS.has(block) || QUANTITY.test(block))) throw new Refusal("eth_getBlockByNumber needs a block tag or number");
      return { kind: "forward", call: { method, params: [block, false] } };
    }
    case "eth_call":
      return { kind: "forward", call: vetCall(paramsOf(call, 2), policy) };
    case "eth_getLogs":
      return vetLogs(paramsOf(call, 1), policy);
    default:
      return {
        kind: "refuse",
        error: new ApiError(403, "MethodNotAllowed", `Only the JSON-RPC reads a verification needs are forwarded (${FORWARDED_METHODS.join(", ")}).`, [{ method }]),
      };
  }
}

/**
 * Checks one JSON-RPC call sent to /rpc against `policy`: the method is one a verification reads with, eth_call and
 * eth_getCode go to the registry only (eth_call with bounded gas and no state or block overrides), eth_getLogs reads
 * the registry's logs over a bounded block range, and the call is rebuilt from the checked members alone.
 */
export function vetRpcCall(call: unknown, position: number, policy: RpcCallPolicy): RpcCallVerdict {
  if (!isRecord(call)) return { kind: "refuse", error: new ApiError(400, "InvalidRequest", "Each JSON-RPC call must be an object.", [{ path: `$[${position}]` }]) };
  const method = call.method;
  if (typeof method !== "string") return { kind: "refuse", error: new ApiError(403, "MethodNotAllowed", `Only the JSON-RPC reads a verification needs are forwarded (${FORWARDED_METHODS.join(", ")}).`, [{ method: null }]) };
  if (call.id !== undefined && call.id !== null && typeof call.id !== "string" && typeof call.id !== "number") {
    return { kind: "refuse", error: new ApiError(400, "InvalidRequest", "A JSON-RPC id must be a string, a number or null.", [{ path: `$[${position}].id` }]) };
  }
  try {
    return vet(call, method, policy);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { kind: "refuse", error: new ApiError(403, "RpcCallNotAllowed", `This ${method} is not forwarded: ${error.reason}.`, [{ path: `$[${position}]`, method }]) };
  }
}
