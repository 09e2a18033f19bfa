import { Transaction } from "ethers";
import { BaseError } from "./BaseError.ts";
import { chainFailureCode } from "./chainFailureCode.ts";
import {
  ArtifactNotFoundError,
  DeploymentNotFoundError,
  DeploymentVanishedError,
  InvalidDeploymentFileError,
  RegistryNotFoundError,
  RegistryRevertedError,
  RpcUnavailableError,
  WrongChainError,
} from "./chainErrors.ts";
import { InvalidConfigError, NoTrustedRegistryError } from "./configErrors.ts";
import { FileWriteError } from "./fileErrors.ts";
import { IssuerLockTimeoutError, StoreError } from "./storeErrors.ts";
import { InvalidCredentialError } from "./credentialErrors.ts";
import { ChainActionError, InvalidInputError } from "./issuerErrors.ts";

/**
 * What an error means for whoever sees it, the same in the CLI, the scripts and the API: `input` (the caller's
 * mistake: exit 1, HTTP 400), `refused` (the chain or the registry said no: exit 2, HTTP 422), `unavailable` (the RPC
 * or the machine failed: exit 2, HTTP 502), `internal` (a bug or an unknown failure: exit 2, HTTP 500).
 */
export type ErrorClassification = {
  readonly kind: "input" | "refused" | "unavailable" | "internal";
  readonly exitCode: 1 | 2;
  readonly httpStatus: number;
  /** The API's error code: InvalidInput, InsufficientFunds, NonceConflict, WrongChain, ChainRefused, ChainUnavailable, InternalError. */
  readonly code: string;
  /** The name for programs (`credreg --json`): the error class's name, or the code when the error was reworded. */
  readonly name: string;
  /** One sentence, safe to show: never the raw transaction, the RPC URL or an upstream body when reworded. */
  readonly message: string;
  /** What to do, and the values involved. */
  readonly details: string[];
  /** True when `message` is not the error's own short message (the CLI then prints only the classification). */
  readonly reworded: boolean;
};

/**
 * The library's errors that say the chain, its deployment, the store or the disk failed or is not there: `unavailable`.
 * Any other of its errors that reaches the top (a broken invariant, a worker that died) is `internal`.
 */
const UNAVAILABLE_ERRORS = [
  RpcUnavailableError,
  DeploymentNotFoundError,
  InvalidDeploymentFileError,
  RegistryNotFoundError,
  ArtifactNotFoundError,
  DeploymentVanishedError,
  NoTrustedRegistryError,
  StoreError,
  IssuerLockTimeoutError,
  FileWriteError,
] as const;

/** What the caller knows of the transaction, for errors that do not say (Hardhat's ProviderError names no sender). */
export type ClassifyContext = { readonly account?: string | undefined; readonly chainId?: bigint | undefined };

/** Node's codes, and ethers', for an RPC that cannot be reached, times out or fails on its side. */
const OUTAGE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "NETWORK_ERROR", "TIMEOUT", "SERVER_ERROR"]);
const FUNDS_TEXT = /insufficient funds|(doesn't|does not) have enough funds|not enough funds/i;
const NONCE_TEXT = /nonce too low|nonce has already been used|nonce (is )?expired|replacement (transaction|fee) (is )?underpriced/i;

type Link = { payload?: unknown; code?: unknown; syscall?: unknown; message?: unknown; shortMessage?: unknown; transaction?: unknown; info?: unknown; error?: unknown; cause?: unknown };

/** The error, its nested `error`, `info.error` and `cause`, outermost first (bounded). */
function chainOf(error: unknown): Link[] {
  const links: Link[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === "object"; depth += 1) {
    const link = current as Link;
    links.push(link);
    current = link.error ?? (link.info as { error?: unknown } | undefined)?.error ?? link.cause;
  }
  return links;
}

/** The sender and chain of the transaction an error is about, from ethers' `transaction` or the JSON-RPC payload. */
function transactionFacts(links: Link[]): { from?: string; chainId?: bigint } {
  for (const link of links) {
    const transaction = link.transaction as { from?: unknown; chainId?: unknown } | undefined;
    // ethers puts the JSON-RPC request on the error itself ("could not coalesce error": `payload`) or in `info`.
    const payload = (link.payload ?? (link.info as { payload?: unknown } | undefined)?.payload) as { params?: unknown[] } | undefined;
    const param = (Array.isArray(payload?.params) ? payload.params : [])[0];
    try {
      if (typeof param === "string" && /^0x[0-9a-fA-F]+$/.test(param)) {
        const parsed = Transaction.from(param);
        if (parsed.from) return { from: parsed.from, chainId: parsed.chainId };
      }
    } catch {
      // Not a signed transaction: look further.
    }
    const candidate = transaction ?? (typeof param === "object" && param !== null ? (param as { from?: unknown; chainId?: unknown }) : undefined);
    if (typeof candidate?.from === "string") {
      const chainId = typeof candidate.chainId === "bigint" ? candidate.chainId : typeof candidate.chainId === "number" || (typeof candidate.chainId === "string" && /^(0x[0-9a-f]+|\d+)$/i.test(candidate.chainId)) ? BigInt(candidate.chainId) : undefined;
      return { from: candidate.from, ...(chainId === undefined ? {} : { chainId }) };
    }
  }
  return {};
}

function textOf(links: Link[]): string {
  return links.flatMap((link) => [link.shortMessage, link.message].filter((value): value is string => typeof value === "string")).join(" | ");
}

function outageCode(links: Link[]): string | undefined {
  for (const link of links) {
    if (link instanceof RpcUnavailableError) return chainFailureCode(link) ?? "RPC_UNAVAILABLE";
    if (typeof link.code === "string" && (OUTAGE_CODES.has(link.code) || typeof link.syscall === "string")) return link.code;
  }
  return undefined;
}

function ownDetails(error: unknown): string[] {
  return error instanceof BaseError ? [...(error.metaMessages ?? []), ...(error.details ? [error.details] : [])] : [];
}

/**
 * Classifies any error thrown by the library, ethers or Node into one of four kinds with an exit code, an HTTP status,
 * a code and a sentence. Lack of funds and nonce conflicts are recognised at any depth (ethers wraps the JSON-RPC
 * answer in "could not coalesce error"; the account and chain come from the error's transaction, else from `context`); an RPC outage is `unavailable` even when wrapped in a {@link ChainActionError}.
 */
export function classifyError(error: unknown, context: ClassifyContext = {}): ErrorClassification {
  if (error instanceof InvalidInputError || error instanceof InvalidConfigError || error instanceof InvalidCredentialError) {
    return { kind: "input", exitCode: 1, httpStatus: 400, code: "InvalidInput", name: error.name, message: error.shortMessage, details: ownDetails(error), reworded: false };
  }
  const links = chainOf(error);
  const codes = links.map((link) => link.code);
  const text = textOf(links);
  if (codes.includes("INSUFFICIENT_FUNDS") || FUNDS_TEXT.test(text)) {
    const facts = transactionFacts(links);
    const from = facts.from ?? context.account;
    const chainId = facts.chainId ?? context.chainId;
    const message = `The account ${from ?? "sending this transaction"} has too little ETH to pay for this transaction${chainId === undefined ? "" : ` on chain ${chainId}`}: fund it, then run the command again.`;
    return { kind: "refused", exitCode: 2, httpStatus: 422, code: "InsufficientFunds", name: "InsufficientFunds", message, details: [], reworded: true };
  }
  if (codes.includes("NONCE_EXPIRED") || codes.includes("REPLACEMENT_UNDERPRICED") || NONCE_TEXT.test(text)) {
    const facts = transactionFacts(links);
    const from = facts.from ?? context.account;
    const chainId = facts.chainId ?? context.chainId;
    const message = `Another transaction from the account ${from ?? "sending this transaction"}${chainId === undefined ? "" : ` on chain ${chainId}`} already took this nonce: let it settle (or stop the other process using this key), then run the command again.`;
    return { kind: "refused", exitCode: 2, httpStatus: 422, code: "NonceConflict", name: "NonceConflict", message, details: [], reworded: true };
  }
  if (error instanceof WrongChainError) {
    return { kind: "refused", exitCode: 2, httpStatus: 422, code: "WrongChain", name: error.name, message: error.shortMessage, details: ownDetails(error), reworded: false };
  }
  const outage = outageCode(links);
  if (outage !== undefined) {
    // Named by its code only: the messages of such errors quote the RPC URL (an API key) and the upstream body.
    if (error instanceof BaseError && !(error instanceof ChainActionError)) {
      return { kind: "unavailable", exitCode: 2, httpStatus: 502, code: "ChainUnavailable", name: error.name, message: error.shortMessage, details: ownDetails(error), reworded: false };
    }
    return {
      kind: "unavailable",
      exitCode: 2,
      httpStatus: 502,
      code: "ChainUnavailable",
      name: "ChainUnavailable",
      message: `The chain's RPC failed (${outage}).`,
      details: ["Check CREDREG_RPC_URL and that the node is running, then run the command again: it resumes where it stopped."],
      reworded: true,
    };
  }
  if (error instanceof ChainActionError || error instanceof RegistryRevertedError) {
    return { kind: "refused", exitCode: 2, httpStatus: 422, code: "ChainRefused", name: error.name, message: error.shortMessage, details: ownDetails(error), reworded: false };
  }
  if (error instanceof BaseError) {
    if (UNAVAILABLE_ERRORS.some((kind) => error instanceof kind)) {
      return { kind: "unavailable", exitCode: 2, httpStatus: 502, code: "ChainUnavailable", name: error.name, message: error.shortMessage, details: ownDetails(error), reworded: false };
    }
    // Its short message is the library's own sentence (never a URL or an upstream body): safe to show.
    return { kind: "internal", exitCode: 2, httpStatus: 500, code: "InternalError", name: error.name, message: error.shortMessage, details: ownDetails(error), reworded: false };
  }
  const failure = chainFailureCode(error);
  if (failure !== undefined) {
    return { kind: "unavailable", exitCode: 2, httpStatus: 502, code: "ChainUnavailable", name: "ChainUnavailable", message: `The chain's RPC failed (${failure}).`, details: [], reworded: true };
  }
  return { kind: "internal", exitCode: 2, httpStatus: 500, code: "InternalError", name: error instanceof Error ? error.name : "Error", message: error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error), details: [], reworded: false };
}
