import { readFileSync } from "node:fs";
import { HDNodeWallet, solidityPackedKeccak256, toBeHex, Wallet, zeroPadValue } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachProof, proofCreatedAt } from "../../src/batch/attachProof.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import type { Anchor, Credential } from "../../src/credential/credentialSchema.ts";
import { type LocalNode, startHardhatNode } from "../../src/devnet/startHardhatNode.ts";
import type { VerificationResult, VerifyOptions } from "../../src/verifier/verificationTypes.ts";
import { verifyCredential, verifyCredentials } from "../../src/verifier/verifyCredentials.ts";
import { treeFromLeaves } from "../../src/merkle/buildCredentialTree.ts";
import { credentialLeafBuffer } from "../../src/merkle/credentialLeaf.ts";
import { sampleAchievement } from "../helpers/sampleCredentials.ts";
import { checkInclusion } from "../../src/batch/checkInclusion.ts";
import { limitingRpcProxy } from "../helpers/limitingRpcProxy.ts";

type Expected = Record<string, { status: string; steps: Record<string, string> }>;
const expected = JSON.parse(readFileSync(new URL("../fixtures/verifier/expected-steps.json", import.meta.url), "utf8")) as Expected;

const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public development accounts
const dev = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
const people = (count: number, tag: string) => Array.from({ length: count }, (_, index) => ({ name: `${tag} Learner ${index}`, email: `${tag.toLowerCase()}${index}@example.org` }));

let node: LocalNode;
let otherChain: LocalNode;
const scenarios = new Map<string, { credential: unknown; options?: Partial<VerifyOptions>; result?: VerificationResult }>();
let baseOptions: VerifyOptions;

beforeAll(async () => {
  [node, otherChain] = await Promise.all([startHardhatNode(), startHardhatNode({ chainId: 1337 })]);
  const { provider } = await connectRpc(node.url, { pollingIntervalMs: 50 });
  const [governor, issuerA, issuerB, issuerC, issuerD] = [0, 1, 2, 3, 4].map((index) => dev(index).connect(provider));
  const deployment = await deployRegistry({ signer: governor! });
  const asGovernor = registryContract(deployment.address, governor!);
  for (const [wallet, name] of [[issuerA, "a"], [issuerB, "b"], [issuerC, "c"], [issuerD, "d"]] as const) {
    await sendRegistryTransaction(asGovernor, "accreditIssuer", [wallet!.address, `Issuer ${name.toUpperCase()}`, `https://${name}.example/issuer`]);
  }
  baseOptions = { rpcUrl: node.url, trustedRegistries: [deployment.address] };

  /** Issues `count` credentials from `issuer`, anchors them unless told not to, and returns the credential files. */
  const issue = async (issuer: HDNodeWallet, tag: string, count: number, template: { validFrom?: string; validUntil?: string; registry?: string } = {}, anchorIt = true) => {
    const profile = await asGovernor.getFunction("issuer")(issuer.address);
    const batch = await buildBatchFromRecipients(
      {
        issuer: { id: profile.profileId, name: profile.name },
        achievement: sampleAchievement,
        registry: { chainId: 31337, address: template.registry ?? deployment.address },
        validFrom: template.validFrom ?? "2026-01-01T00:00:00Z",
        validUntil: template.validUntil,
      },
      people(count, tag),
    );
    let anchor: Anchor = { chainId: "eip155:31337", registry: template.registry ?? deployment.address, issuer: issuer.address, transactionHash: `0x${"00".repeat(32)}`, blockNumber: 0 };
    let created = "2026-01-01T00:00:00Z";
    if (anchorIt) {
      const sent = await sendRegistryTransaction(registryContract(deployment.address, issuer), "anchorBatch", [batch.root, batch.leafCount]);
      anchor = { ...anchor, transactionHash: sent.hash, blockNumber: sent.blockNumber };
      created = proofCreatedAt(sent.blockTime);
    }
    return { root: batch.root, files: Array.from({ length: count }, (_, index) => attachProof(batch.credential(index), batch, index, anchor, created)) };
  };
  const asIssuer = (wallet: HDNodeWallet) => registryContract(deployment.address, wallet);
  const change = (wallet: HDNodeWallet, method: string, root: string, file: Credential, reason: number) =>
    sendRegistryTransaction(asIssuer(wallet), method, [root, [file.proof.leafIndex], reason]);

  const batch1 = await issue(issuerA!, "One", 8);
  const batch2 = await issue(issuerA!, "Two", 3);
  const [valid, tamperedField, tamperedSalt, wrongIndex, otherIssuer, revoked, suspended, reinstated] = batch1.files;

  scenarios.set("valid", { credential: valid });
  scenarios.set("tampered field", { credential: { ...structuredClone(tamperedField!), validUntil: "2099-12-31T23:59:59Z" } });
  scenarios.set("tampered salt", { credential: { ...structuredClone(tamperedSalt!), proof: { ...tamperedSalt!.proof, salt: `0x${"5a".repeat(32)}` } } });
  // The leaf binds the index: a batch whose leaf 0 holds credential X's genuine hash (computed with index 0) while X's
  // own content and file say index 1. The file's content hash is the anchored one; only the index binding refuses it.
  {
    const position = wrongIndex!.proof.leafIndex;
    const other = batch1.files.find((file) => file.proof.leafIndex !== position)!.proof.leafIndex;
    const hashes = batch1.files.map((file) => Buffer.from(checkInclusion(file).credentialHash.slice(2), "hex"));
    const order = batch1.files.map((file) => file.proof.leafIndex);
    const byIndex = new Map(batch1.files.map((file, at) => [file.proof.leafIndex, hashes[at]!]));
    const swapped = order.sort((a, b) => a - b).map((index) => credentialLeafBuffer(index, byIndex.get(index === position ? other : index === other ? position : index)!));
    const tree = treeFromLeaves(swapped);
    const sent = await sendRegistryTransaction(registryContract(deployment.address, issuerA!), "anchorBatch", [tree.root, tree.leafCount]);
    scenarios.set("wrong index", {
      credential: {
        ...structuredClone(wrongIndex!),
        proof: { ...wrongIndex!.proof, merkleRoot: tree.root, merkleProof: tree.proof(other), created: proofCreatedAt(sent.blockTime), anchor: { ...wrongIndex!.proof.anchor, transactionHash: sent.hash, blockNumber: sent.blockNumber } },
      },
    });
  }
  const foreign = batch2.files[0]!.proof;
  scenarios.set("proof from another batch", { credential: { ...structuredClone(valid!), proof: { ...valid!.proof, merkleRoot: foreign.merkleRoot, merkleProof: foreign.merkleProof, anchor: foreign.anchor } } });
  scenarios.set("root never anchored", { credential: (await issue(issuerA!, "Never", 2, {}, false)).files[0] });
  scenarios.set("anchored by another issuer", { credential: { ...structuredClone(otherIssuer!), proof: { ...otherIssuer!.proof, anchor: { ...otherIssuer!.proof.anchor, issuer: issuerB!.address } } } });
  const stranger = Wallet.createRandom().address;
  scenarios.set("unaccredited issuer", { credential: { ...structuredClone(otherIssuer!), proof: { ...otherIssuer!.proof, anchor: { ...otherIssuer!.proof.anchor, issuer: stranger } } } });

  // Issuer C: deactivated, and its batch's anchor time forged to after the deactivation (the contract itself never
  // lets a deactivated issuer anchor; the verifier must still refuse such a history).
  const batchC = await issue(issuerC!, "Cee", 2);
  await sendRegistryTransaction(asGovernor, "deactivateIssuer", [issuerC!.address, 4]);
  const deactivatedAt = Number((await asGovernor.getFunction("issuer")(issuerC!.address)).deactivatedAt);
  const slot = solidityPackedKeccak256(["address", "bytes32"], [issuerC!.address, batchC.root]);
  const forged = BigInt(deactivatedAt + 100) | (2n << 40n) | (BigInt(batchC.files[0]!.proof.anchor.blockNumber) << 72n);
  await provider.send("hardhat_setStorageAt", [deployment.address, slot, zeroPadValue(toBeHex(forged), 32)]);
  await provider.send("evm_increaseTime", [200]);
  await provider.send("evm_mine", []);
  // The file agrees with that (forged) history: proof.created is the anchor time the registry records.
  scenarios.set("issuer deactivated before the anchor", { credential: { ...batchC.files[0]!, proof: { ...batchC.files[0]!.proof, created: proofCreatedAt(deactivatedAt + 100) } } });

  const batchD = await issue(issuerD!, "Dee", 2);
  await sendRegistryTransaction(asGovernor, "deactivateIssuer", [issuerD!.address, 7]);
  scenarios.set("issuer deactivated after the anchor", { credential: batchD.files[0] });

  const revocation = await change(issuerA!, "revokeCredentials", batch1.root, revoked!, 3);
  scenarios.set("revoked", { credential: revoked });
  scenarios.set("revoked, checked just before its revocation", { credential: revoked, options: { at: { block: revocation.blockNumber - 1 } } });
  await change(issuerA!, "suspendCredentials", batch1.root, suspended!, 8);
  scenarios.set("suspended", { credential: suspended });
  await change(issuerA!, "suspendCredentials", batch1.root, reinstated!, 8);
  await change(issuerA!, "reinstateCredentials", batch1.root, reinstated!, 9);
  scenarios.set("suspended then reinstated", { credential: reinstated });
  await sendRegistryTransaction(asIssuer(issuerA!), "revokeBatch", [batch2.root, 2]);
  scenarios.set("batch revoked", { credential: batch2.files[1] });
  scenarios.set("expired", { credential: (await issue(issuerA!, "Old", 2, { validFrom: "2020-01-01T00:00:00Z", validUntil: "2021-01-01T00:00:00Z" })).files[0] });
  scenarios.set("not yet valid", { credential: (await issue(issuerA!, "Future", 2, { validFrom: "2099-01-01T00:00:00Z" })).files[0] });
  scenarios.set("wrong chain", { credential: valid, options: { rpcUrl: otherChain.url } });
  const noContract = "0x000000000000000000000000000000000000dEaD";
  scenarios.set("registry address with no contract", { credential: (await issue(issuerA!, "Dead", 2, { registry: noContract }, false)).files[0], options: { trustedRegistries: [deployment.address, noContract] } });
  const { proof: _proof, ...missingProof } = structuredClone(valid!);
  scenarios.set("missing proof", { credential: missingProof });
  scenarios.set("RPC unreachable", { credential: valid, options: { rpcUrl: "http://127.0.0.1:9" } });
  scenarios.set("valid, checked before its anchor", { credential: valid, options: { at: { date: new Date("2020-06-01T00:00:00Z") } } });
  scenarios.set("valid, issuer not in the trusted list", { credential: valid, options: { trustedIssuers: [issuerB!.address] } });
  // Leaves are shuffled: the holder of `valid` is "One Learner <k>", whose address was one<k>@example.org.
  const k = /(\d+)$/.exec(valid!.credentialSubject.identifier.find((identity) => identity.identityType === "name")!.identityHash)![1];
  scenarios.set("valid, recipient confirmed", { credential: valid, options: { recipient: ` ONE${k}@Example.org ` } });
  scenarios.set("valid, another recipient", { credential: valid, options: { recipient: "someone@example.org" } });
  scenarios.set("valid, registry not trusted", { credential: valid, options: { trustedRegistries: [noContract] } });
  provider.destroy();

  for (const [, scenario] of scenarios) scenario.result = await verifyCredential(scenario.credential, { ...baseOptions, ...scenario.options });
  scenarios.set("malformed JSON", { credential: "x", result: await verifyCredential("x", baseOptions) });
});

afterAll(async () => {
  await Promise.all([node?.stop(), otherChain?.stop()]);
});

const stepsOf = (result: VerificationResult) => Object.fromEntries(result.steps.map((step) => [step.name, step.status]));

describe("verifyCredential: every fixture gives its expected steps", () => {
  it("covers every scenario of the expected-steps fixture", () => {
    expect([...scenarios.keys()].sort()).toEqual(Object.keys(expected).sort());
  });

  for (const name of Object.keys(expected)) {
    it(`${name}: ${expected[name]!.status}`, () => {
      const result = scenarios.get(name)?.result;
      expect(result, name).toBeDefined();
      expect({ status: result!.status, steps: stepsOf(result!) }, JSON.stringify(result!.steps, null, 1)).toEqual(expected[name]);
    });
  }

  it("messages say when, why and in which transaction, and name the problem", () => {
    const message = (name: string, step: string) => scenarios.get(name)!.result!.steps.find((entry) => entry.name === step)!.message;
    expect(message("revoked", "status")).toMatch(/^Revoked at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(block \d+, transaction 0x[0-9a-f]{64}\) for reason 3 \(Misconduct: Academic misconduct or fraud by the holder\)\.$/);
    expect(message("batch revoked", "status")).toMatch(/^The whole batch was revoked at .* for reason 2 \(Superseded/);
    expect(message("suspended", "status")).toMatch(/^Suspended at .* for reason 8 \(UnderInvestigation/);
    expect(message("tampered field", "integrity")).toMatch(/^The file was altered after issuance/);
    expect(message("wrong chain", "chain")).toBe("The credential was anchored on eip155:31337, but the RPC serves eip155:1337: check it against its own chain.");
    expect(message("expired", "validity")).toMatch(/^Expired: valid until 2021-01-01T00:00:00Z/);
    expect(message("issuer deactivated before the anchor", "issuer")).toMatch(/was deactivated at .* \(KeyCompromise\), before this credential was anchored\./);
    expect(message("issuer deactivated after the anchor", "issuer")).toMatch(/after this credential was anchored, which stays valid\./);
    expect(message("anchored by another issuer", "anchor")).toMatch(/^Root 0x[0-9a-f]{64} was never anchored by 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC at this registry\.$/);
    expect(message("anchored by another issuer", "issuer")).toBe("Not checked: the anchor step failed.");
    expect(scenarios.get("RPC unreachable")!.result!.error?.message).toMatch(/^Could not verify: Could not reach the JSON-RPC endpoint at http:\/\/127\.0\.0\.1:9\./);
    expect(message("malformed JSON", "format")).toBe(`Not a credential of this format: 1 problem, first $: not JSON (Unexpected token 'x', "x" is not valid JSON).`);
    expect(message("wrong index", "integrity")).toMatch(/^The file was altered after issuance: its content, salt and index hash to a leaf whose proof leads to 0x[0-9a-f]{64}, not to its merkleRoot/);
    expect(message("tampered field", "anchor")).toBe("Not checked: the integrity step failed.");
  });
});

describe("verifyCredentials in bulk", () => {
  it("behavior: the composed bulk path (batch records, status words, proofs off chain) gives exactly the credentialStatus results", async () => {
    const names = [...scenarios.keys()].filter((name) => scenarios.get(name)!.options === undefined && name !== "malformed JSON");
    expect(names.length).toBeGreaterThan(15);
    const credentials = names.map((name) => scenarios.get(name)!.credential);
    const viaView = await verifyCredentials(credentials, { ...baseOptions, bulkThreshold: Number.POSITIVE_INFINITY });
    const composed = await verifyCredentials(credentials, { ...baseOptions, bulkThreshold: 0 });
    // Everything equal but the wall-clock second of the validity check, taken once per call.
    const withoutClock = (results: VerificationResult[]) =>
      results.map((result) => ({ ...result, steps: result.steps.map((step) => ({ ...step, message: step.message.replace(/ \(checked at [^)]*\)/, ""), details: { ...step.details, checkedAt: undefined } })) }));
    expect(withoutClock(composed)).toEqual(withoutClock(viaView));
    names.forEach((name, position) => expect({ status: composed[position]!.status, steps: stepsOf(composed[position]!) }, name).toEqual(expected[name]));
  });

  it("default: answers each credential as the single call does, with one bulk status call for many", async () => {
    const names = ["valid", "revoked", "suspended", "batch revoked", "expired", "tampered field", "missing proof", "suspended then reinstated"];
    const results = await verifyCredentials(names.map((name) => scenarios.get(name)!.credential), baseOptions);
    results.forEach((result, position) => expect({ status: result.status, steps: stepsOf(result) }, names[position]).toEqual(expected[names[position]!]));
  });
});

describe("verifyCredential behind a public-RPC-like endpoint", () => {
  it("behavior: an RPC that refuses log ranges over 10 blocks and rate-limits still gives the revocation's when, why and transaction", async () => {
    const proxy = await limitingRpcProxy(node.url, { maxRange: 10, rateLimitEvery: 5 });
    try {
      const revoked = scenarios.get("revoked")!;
      const direct = revoked.result!;
      const anchored = (direct.steps.find((step) => step.name === "anchor")!.details.anchoredBlock as number) ?? 0;
      const { provider } = await connectRpc(node.url);
      const latest = await provider.getBlockNumber();
      provider.destroy();
      expect(latest - anchored).toBeGreaterThan(10); // one eth_getLogs from the anchor to the latest block would be refused
      const viaProxy = await verifyCredential(revoked.credential, { ...baseOptions, rpcUrl: proxy.url });
      expect(viaProxy.status).toBe("invalid");
      expect(viaProxy.steps.find((step) => step.name === "status")).toEqual(direct.steps.find((step) => step.name === "status"));
      expect(proxy.refused()).toBeGreaterThan(0);
      expect(proxy.rateLimited()).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });
});
