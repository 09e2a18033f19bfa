import { makeError, Transaction, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { RegistryRevertedError, RpcUnavailableError, WrongChainError } from "../../src/errors/chainErrors.ts";
import { classifyError } from "../../src/errors/classifyError.ts";
import { InvalidConfigError } from "../../src/errors/configErrors.ts";
import { ChainActionError, InvalidInputError } from "../../src/errors/issuerErrors.ts";
import { PortfolioInvariantError } from "../../src/errors/portfolioErrors.ts";
import { StoreError } from "../../src/errors/storeErrors.ts";
import { VerificationWorkerError } from "../../src/errors/verifierErrors.ts";
import { explainFailure } from "../../src/issuer/sendRecordedTransaction.ts";

const RPC_URL = "https://eth-sepolia.example.com/v2/SECRET-KEY";
const wallet = Wallet.createRandom();

/** A signed type-2 transaction of `wallet` on chain 11155111, as ethers sends it with eth_sendRawTransaction. */
async function signedTransaction(): Promise<string> {
  return wallet.signTransaction(Transaction.from({ type: 2, chainId: 11155111n, nonce: 0, gasLimit: 21000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, to: wallet.address, value: 0n, data: "0x" }));
}

/** What ethers throws when a node answers eth_sendRawTransaction with an error it does not know (Hardhat's no-funds answer). */
async function coalesceError(upstream: string) {
  return makeError("could not coalesce error", "UNKNOWN_ERROR", {
    error: { code: -32000, message: upstream, data: { message: upstream } },
    payload: { id: 7, jsonrpc: "2.0", method: "eth_sendRawTransaction", params: [await signedTransaction()] },
  });
}

function leaks(text: string): string[] {
  return ["coalesce", "0x02f8", RPC_URL, "SECRET-KEY"].filter((leak) => text.includes(leak));
}

describe("classifyError", () => {
  it("default: the caller's mistakes are input (exit 1, 400 InvalidInput)", () => {
    for (const error of [new InvalidInputError("The file is empty."), new InvalidConfigError("CREDREG_CONFIRMATIONS", "is -1", "Give a whole number.")]) {
      expect(classifyError(error)).toMatchObject({ kind: "input", exitCode: 1, httpStatus: 400, code: "InvalidInput" });
    }
  });

  it("behavior: ethers INSUFFICIENT_FUNDS is one sentence naming the account and chain (exit 2, 422 InsufficientFunds)", () => {
    const error = makeError("insufficient funds for intrinsic transaction cost", "INSUFFICIENT_FUNDS", { transaction: { from: wallet.address, chainId: 31337n, data: "0x02f8aa" } });
    expect(classifyError(error)).toEqual({
      kind: "refused",
      exitCode: 2,
      httpStatus: 422,
      code: "InsufficientFunds",
      name: "InsufficientFunds",
      message: `The account ${wallet.address} has too little ETH to pay for this transaction on chain 31337: fund it, then run the command again.`,
      details: [],
      reworded: true,
    });
  });

  it("behavior: 'could not coalesce error' around a JSON-RPC no-funds answer is the same sentence, from the raw transaction's sender and chain", async () => {
    const error = await coalesceError("Sender doesn't have enough funds to send tx. The max upfront cost is: 9702549000000000 and the sender's balance is: 0.");
    expect(error.message).toContain("0x02f8");
    const classified = classifyError(error);
    expect(classified).toMatchObject({ kind: "refused", exitCode: 2, httpStatus: 422, code: "InsufficientFunds" });
    expect(classified.message).toBe(`The account ${wallet.address} has too little ETH to pay for this transaction on chain 11155111: fund it, then run the command again.`);
    expect(leaks(JSON.stringify(classified))).toEqual([]);
    // Wrapped by the issuer pipeline, still the same sentence.
    expect(classifyError(explainFailure(error, "the anchor transaction")).message).toBe(classified.message);
  });

  it("behavior: nonce problems are a sentence (exit 2, 422 NonceConflict)", async () => {
    const errors = [
      makeError("nonce has already been used", "NONCE_EXPIRED", { transaction: { from: wallet.address } }),
      makeError("replacement fee too low", "REPLACEMENT_UNDERPRICED", { transaction: { from: wallet.address } }),
      await coalesceError("Nonce too low. Expected nonce to be 3 but got 0."),
    ];
    for (const error of errors) {
      const classified = classifyError(error);
      expect(classified).toMatchObject({ kind: "refused", exitCode: 2, httpStatus: 422, code: "NonceConflict" });
      expect(classified.message).toMatch(new RegExp(`^Another transaction from the account ${wallet.address}( on chain 11155111)? already took this nonce: let it settle \\(or stop the other process using this key\\), then run the command again\\.$`));
      expect(leaks(JSON.stringify(classified))).toEqual([]);
    }
  });

  it("behavior: RPC outages are unavailable (exit 2, 502 ChainUnavailable), even wrapped in a ChainActionError", () => {
    const refused = Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:8545 ${RPC_URL}`), { code: "ECONNREFUSED", syscall: "connect" });
    const outages = [
      makeError("network error", "NETWORK_ERROR", { event: "x" }),
      makeError("timeout", "TIMEOUT", { operation: "request", reason: "timeout", request: {} as never }),
      makeError(`server response 503 (${RPC_URL})`, "SERVER_ERROR", { request: {} as never }),
      refused,
    ];
    for (const outage of outages) {
      expect(classifyError(outage)).toMatchObject({ kind: "unavailable", exitCode: 2, httpStatus: 502, code: "ChainUnavailable" });
      const wrapped = explainFailure(outage, "the anchor transaction");
      expect(wrapped).toBeInstanceOf(ChainActionError);
      const classified = classifyError(wrapped);
      expect(classified).toMatchObject({ kind: "unavailable", exitCode: 2, httpStatus: 502, code: "ChainUnavailable" });
      expect(classified.message).toBe(`The chain's RPC failed (${(outage as { code: string }).code}).`);
      expect(leaks(JSON.stringify(classified))).toEqual([]);
    }
    const unreachable = new RpcUnavailableError(RPC_URL, { cause: refused });
    expect(classifyError(unreachable)).toMatchObject({ kind: "unavailable", exitCode: 2, httpStatus: 502, code: "ChainUnavailable" });
    expect(classifyError(new ChainActionError("Opening the chain failed.", [], unreachable))).toMatchObject({ kind: "unavailable", httpStatus: 502, code: "ChainUnavailable" });
    const bare = classifyError(new ChainActionError("Opening the chain failed.", [], new RpcUnavailableError(RPC_URL)));
    expect(bare).toMatchObject({ kind: "unavailable", exitCode: 2, httpStatus: 502, code: "ChainUnavailable", message: "The chain's RPC failed (RPC_UNAVAILABLE)." });
    expect(leaks(JSON.stringify(bare))).toEqual([]);
  });

  it("behavior: a genuine refusal stays 422 ChainRefused (exit 2), and its sentence never quotes the full ethers message", () => {
    expect(classifyError(new ChainActionError("0x1 is not an accredited issuer of the registry 0x2 (chain 31337)."))).toMatchObject({ kind: "refused", exitCode: 2, httpStatus: 422, code: "ChainRefused" });
    const revert = new RegistryRevertedError("CredentialRegistryIssuerDeactivated", { issuer: "0x1" }, "0x1 was deactivated.");
    expect(classifyError(new ChainActionError(revert.shortMessage, [], revert, revert.details))).toMatchObject({ kind: "refused", httpStatus: 422, code: "ChainRefused" });
    const callException = makeError("execution reverted (unknown custom error)", "CALL_EXCEPTION", { action: "estimateGas", data: "0x12345678", reason: null, transaction: { to: null, data: "0x02f8" }, invocation: null, revert: null, info: { requestUrl: RPC_URL } } as never);
    const classified = classifyError(explainFailure(callException, "the anchor transaction"));
    expect(classified).toMatchObject({ kind: "refused", exitCode: 2, httpStatus: 422, code: "ChainRefused", message: "The registry rejected the anchor transaction (execution reverted (unknown custom error))." });
    expect(leaks(JSON.stringify(classified))).toEqual([]);
    // An error without ethers' short message (a provider library's, Node's) is quoted by its code only: its message
    // may hold the RPC URL and the upstream body.
    const upstream = Object.assign(new Error(`bad response from ${RPC_URL}: <html>502 Bad Gateway</html>`), { code: "UPSTREAM_BODY" });
    const quoted = classifyError(explainFailure(upstream, "the anchor transaction"));
    expect(quoted).toMatchObject({ kind: "refused", httpStatus: 422, code: "ChainRefused", message: "Sending the anchor transaction failed: error UPSTREAM_BODY." });
    expect(leaks(JSON.stringify(quoted))).toEqual([]);
  });

  it("behavior: a wrong chain is one error class (exit 2, 422 WrongChain)", () => {
    expect(classifyError(new WrongChainError(1n, 31337n))).toMatchObject({ kind: "refused", exitCode: 2, httpStatus: 422, code: "WrongChain", name: "WrongChainError", message: "The RPC serves chain 31337, not the configured chain 1." });
  });

  it("default: anything else is internal (exit 2, 500)", () => {
    expect(classifyError(new TypeError("x is undefined"))).toMatchObject({ kind: "internal", exitCode: 2, httpStatus: 500, code: "InternalError" });
  });

  it("behavior: the library's own errors of a broken invariant or a dead worker are internal (500), with their sentence; store and disk failures are unavailable (502)", () => {
    expect(classifyError(new PortfolioInvariantError("The valid credential x.json did not read back as it was verified; no portfolio was made."))).toMatchObject({
      kind: "internal",
      exitCode: 2,
      httpStatus: 500,
      code: "InternalError",
      name: "PortfolioInvariantError",
      message: "The valid credential x.json did not read back as it was verified; no portfolio was made.",
    });
    expect(classifyError(new VerificationWorkerError("A verification worker stopped."))).toMatchObject({ kind: "internal", httpStatus: 500, name: "VerificationWorkerError" });
    expect(classifyError(new StoreError("The store is locked."))).toMatchObject({ kind: "unavailable", exitCode: 2, httpStatus: 502, name: "StoreError" });
    // The registry said no (a custom error, decoded): a refusal, as a ChainActionError is.
    expect(classifyError(new RegistryRevertedError("IssuerNotActive", { issuer: "0x01" }, "the issuer 0x01 is not accredited or was deactivated."))).toMatchObject({
      kind: "refused",
      exitCode: 2,
      httpStatus: 422,
      code: "ChainRefused",
      message: "The registry rejected the transaction: the issuer 0x01 is not accredited or was deactivated.",
    });
  });
});
