import { Contract, type HDNodeWallet, type JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proofCreatedAt } from "../../../src/batch/attachProof.ts";
import { buildBatchV2 } from "../../../src/batch/buildBatchV2.ts";
import { connectRpc } from "../../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../../src/chain/deployRegistry.ts";
import { keyRegistryAddressOf } from "../../../src/chain/keyRegistryAddressOf.ts";
import { keyRegistryInterface } from "../../../src/chain/keyRegistryContract.ts";
import type { SigningKeyRecord } from "../../../src/chain/keyRegistryReads.ts";
import { registryContract } from "../../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../../src/chain/sendRegistryTransaction.ts";
import { attachAnchorProofV2 } from "../../../src/credential/v2/attachAnchorProofV2.ts";
import { signingKeyIdOf } from "../../../src/credential/v2/signingKeyIdOf.ts";
import { type LocalNode, startHardhatNode } from "../../../src/devnet/startHardhatNode.ts";
import { signatureStep } from "../../../src/verifier/steps/signatureStep.ts";
import type { CredentialFacts, VerificationResult, VerificationStep, VerifyOptions } from "../../../src/verifier/verificationTypes.ts";
import { verifyCredentials } from "../../../src/verifier/verifyCredentials.ts";
import { issuerKeyV2, shapeV2, signedV2 } from "../../helpers/credentialsV2.ts";
import { devWallet } from "../../helpers/issuedBatchOnNode.ts";

// The signature step of format v2 end to end: credentials signed by Ed25519 keys, anchored by an accredited issuer on
// a real Hardhat node, the keys bound (or not), retired and revoked in the IssuerKeyRegistry the registry created, then
// verified by verifyCredentials. Each key has its own scenario (the verifier reads a key's record as it stands now).

const PROFILE = (shapeV2.issuer as { url: string }).url;
const REASON_KEY_COMPROMISE = 4;
type Key = Awaited<ReturnType<typeof issuerKeyV2>>;
type Scenario = { readonly files: Record<string, unknown>[]; readonly options?: Partial<VerifyOptions>; results?: VerificationResult[] };

let node: LocalNode;
let provider: JsonRpcProvider;
let options: VerifyOptions;
const scenarios = new Map<string, Scenario>();
/** Block times the scenarios need to pin their messages. */
const times = new Map<string, number>();

beforeAll(async () => {
  node = await startHardhatNode();
  ({ provider } = await connectRpc(node.url, { pollingIntervalMs: 20 }));
  const [governor, issuerA, issuerB] = [0, 1, 2].map((index) => devWallet(index).connect(provider)) as [HDNodeWallet, HDNodeWallet, HDNodeWallet];
  const deploy = async () => {
    const { address } = await deployRegistry({ signer: governor });
    const asGovernor = registryContract(address, governor);
    await sendRegistryTransaction(asGovernor, "accreditIssuer", [issuerA.address, "Demo University", PROFILE]);
    await sendRegistryTransaction(asGovernor, "accreditIssuer", [issuerB.address, "Other College", "https://other-college.example/issuer"]);
    return address;
  };
  const registry = await deploy();
  // A registry deployed before key registries existed has no code where its key registry would be (keyRegistryAddressOf);
  // one is not deployable from today's sources, so a current one has that code removed (hardhat_setCode).
  const legacyRegistry = await deploy();
  await provider.send("hardhat_setCode", [keyRegistryAddressOf(legacyRegistry), "0x"]);
  options = { provider, trustedRegistries: [registry, legacyRegistry] };

  const keys = (wallet: HDNodeWallet) => new Contract(keyRegistryAddressOf(registry), keyRegistryInterface, wallet);
  const add = (key: Key, by = issuerA) => sendRegistryTransaction(keys(by), "addSigningKey", [keyIdOf(key)]);
  const retire = (key: Key) => sendRegistryTransaction(keys(issuerA), "retireSigningKey", [keyIdOf(key)]);
  const revoke = (key: Key, compromisedAt: number) => sendRegistryTransaction(keys(issuerA), "revokeSigningKey", [keyIdOf(key), compromisedAt, REASON_KEY_COMPROMISE]);
  /** Time passes on the chain (one empty block 10 s later): every event below gets its own second. */
  const later = async () => {
    await provider.send("evm_increaseTime", [10]);
    await provider.send("evm_mine", []);
  };
  /** Anchors signed credentials as one batch of `issuer` at `at`; the files as the issuer hands them out. */
  const anchor = async (signed: readonly Record<string, unknown>[], at = registry, issuer = issuerA) => {
    const batch = buildBatchV2(signed);
    const sent = await sendRegistryTransaction(registryContract(at, issuer), "anchorBatch", [batch.root, batch.leafCount]);
    const proofAnchor = { chainId: "eip155:31337", registry: at, issuer: issuer.address, transactionHash: sent.hash, blockNumber: sent.blockNumber };
    return { anchoredAt: sent.blockTime, files: signed.map((credential, index) => attachAnchorProofV2(credential, batch, index, proofAnchor, proofCreatedAt(sent.blockTime))) };
  };
  const sign = (key: Key, count = 1) => signedV2(count, key);
  const [genuine, retiredBefore, retiredAfter, compromisedAtAnchor, compromisedBefore, compromisedAfter, foreign, neverBound, boundAfter, legacy, tampered, retiredInBlock] = await Promise.all(Array.from({ length: 12 }, (_, index) => issuerKeyV2(index + 1)));

  {
    await add(genuine!);
    const { files } = await anchor(await sign(genuine!, 2));
    scenarios.set("genuine", { files });
    // Altered after anchoring (any signed field, or the signature): the anchor covers the signature, so integrity fails first.
    const renamed = structuredClone(files[0]!);
    renamed.name = "Master of Everything";
    const otherSignature = structuredClone(files[0]!);
    (otherSignature.proof as { proofValue?: string }[])[0]!.proofValue = (files[1]!.proof as { proofValue: string }[])[0]!.proofValue;
    scenarios.set("genuine, altered after anchoring", { files: [renamed, otherSignature] });
  }
  {
    await add(retiredBefore!);
    await later();
    times.set("retiredBefore", (await retire(retiredBefore!)).blockTime);
    await later();
    scenarios.set("key retired before the anchor", await anchor(await sign(retiredBefore!)));
  }
  {
    await add(retiredAfter!);
    const anchored = await anchor(await sign(retiredAfter!));
    await later();
    await retire(retiredAfter!);
    scenarios.set("key retired after the anchor", anchored);
  }
  {
    // The anchor, then the retirement, mined in one block: the same block time; the batch was anchored before.
    await add(retiredInBlock!);
    const signed = await sign(retiredInBlock!);
    const batch = buildBatchV2(signed);
    await provider.send("evm_setAutomine", [false]);
    const anchoring = await registryContract(registry, issuerA).getFunction("anchorBatch")(batch.root, batch.leafCount);
    const retiring = await keys(issuerA).getFunction("retireSigningKey")(keyIdOf(retiredInBlock!));
    await provider.send("evm_mine", []);
    await provider.send("evm_setAutomine", [true]);
    const [anchored, retired] = await Promise.all([anchoring.wait(), retiring.wait()]);
    expect(retired.blockNumber).toBe(anchored.blockNumber);
    const blockTime = (await provider.getBlock(anchored.blockNumber))!.timestamp;
    const proofAnchor = { chainId: "eip155:31337", registry, issuer: issuerA.address, transactionHash: anchored.hash, blockNumber: anchored.blockNumber };
    scenarios.set("key retired in the anchor's block", { files: signed.map((credential, index) => attachAnchorProofV2(credential, batch, index, proofAnchor, proofCreatedAt(blockTime))) });
  }
  {
    await add(compromisedAtAnchor!);
    await later();
    const anchored = await anchor(await sign(compromisedAtAnchor!));
    await later();
    const revocation = await revoke(compromisedAtAnchor!, anchored.anchoredAt);
    times.set("compromisedAtAnchor", anchored.anchoredAt);
    scenarios.set("key compromised at the anchor time", anchored);
    // Checked as of the block before the revocation was mined: the revocation was not known yet.
    scenarios.set("key compromised at the anchor time, checked before the revocation", { files: anchored.files, options: { at: { block: revocation.blockNumber - 1 } } });
    scenarios.set("key compromised at the anchor time, checked at the revocation", { files: anchored.files, options: { at: { block: revocation.blockNumber } } });
  }
  {
    const added = await add(compromisedBefore!);
    await later();
    const anchored = await anchor(await sign(compromisedBefore!));
    // The chain's clock runs ahead of the verifier's (a node's time moved on, or a skewed clock): a revocation already
    // recorded in the latest block still counts when no moment is named.
    await provider.send("evm_increaseTime", [6 * 3600]);
    await revoke(compromisedBefore!, added.blockTime);
    scenarios.set("key compromised before the anchor", anchored);
  }
  {
    await add(compromisedAfter!);
    const anchored = await anchor(await sign(compromisedAfter!));
    await later();
    await revoke(compromisedAfter!, anchored.anchoredAt + 1);
    scenarios.set("key compromised after the anchor", anchored);
  }
  {
    await add(foreign!, issuerB);
    scenarios.set("key bound to another issuer", await anchor(await sign(foreign!)));
  }
  scenarios.set("key never bound", await anchor(await sign(neverBound!)));
  {
    const anchored = await anchor(await sign(boundAfter!));
    await later();
    await add(boundAfter!);
    scenarios.set("key bound after the anchor", anchored);
  }
  scenarios.set("registry without a key registry", await anchor(await sign(legacy!), legacyRegistry));
  {
    // Signed, then altered, then anchored as they are: only the signature can tell (one signed field or the signature
    // changed each; the last credential is left genuine).
    const signed = await sign(tampered!, 7);
    const signature = (credential: Record<string, unknown>) => (credential.proof as Record<string, string>[])[0]!;
    signed[0]!.name = "Master of Everything";
    (signed[1]!.credentialSubject as { achievement: { name: string } }).achievement.name = "Brain Surgery";
    signed[2]!.validFrom = "2025-01-01T00:00:00Z";
    (signed[3]!.issuer as { name: string }).name = "Prestige University";
    signature(signed[4]!).proofValue = signature(signed[6]!).proofValue!;
    signature(signed[5]!).created = "2026-01-02T00:00:00Z";
    await add(tampered!);
    const { files } = await anchor(signed);
    scenarios.set("signed content altered before anchoring", { files: files.slice(0, 6) });
    scenarios.set("signed content altered before anchoring: the untouched one", { files: files.slice(6) });
  }
  await provider.send("evm_mine", []);

  await Promise.all([...scenarios.values()].map(async (scenario) => (scenario.results = await verifyCredentials(scenario.files, { ...options, ...scenario.options }))));
});

afterAll(async () => {
  provider?.destroy();
  await node?.stop();
});

const keyIdOf = (key: Key) => signingKeyIdOf(key.publicKeyMultibase)!;
const resultsOf = (name: string) => {
  const results = scenarios.get(name)?.results;
  if (results === undefined) throw new Error(`no scenario ${name}`);
  return results;
};
const stepOf = (result: VerificationResult, name: VerificationStep["name"]) => result.steps.find((step) => step.name === name)!;
const signatureOf = (name: string) => resultsOf(name).map((result) => stepOf(result, "signature"));

/** Every credential of the scenario fails at the signature step (every other step passed or was not required), and is not valid. */
function expectSignatureFailure(name: string, message: RegExp): void {
  for (const result of resultsOf(name)) {
    const signature = stepOf(result, "signature");
    expect(signature.status, JSON.stringify(signature)).toBe("failed");
    expect(signature.message).toMatch(message);
    expect(result.steps.filter((step) => step.status === "failed").map((step) => step.name)).toEqual(["signature"]);
    expect(result.status).toBe("invalid");
  }
}

function expectValid(name: string): void {
  for (const result of resultsOf(name)) {
    expect(stepOf(result, "signature").status, JSON.stringify(stepOf(result, "signature"))).toBe("passed");
    expect(result.status, JSON.stringify(result.steps.filter((step) => step.status !== "passed"))).toBe("valid");
  }
}

describe("signatureStep through verifyCredentials, on a real chain", () => {
  it("default: a genuine credential, its key bound to the anchoring issuer before the anchor: passed, valid", () => {
    expectValid("genuine");
    const [step] = signatureOf("genuine");
    expect(step!.message).toMatch(/^Signed by the issuer's key 0x[0-9a-f]{8}…, bound to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(before the anchor\)\.$/);
    expect(step!.details).toMatchObject({ issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", boundTo: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", retiredAt: 0, revokedAt: 0 });
  });

  it("error: a key retired before the batch was anchored fails", () => {
    expectSignatureFailure("key retired before the anchor", /^The batch was anchored at .*, after its signing key was retired \(.*\)\.$/);
    expect(signatureOf("key retired before the anchor")[0]!.details.retiredAt).toBe(times.get("retiredBefore"));
  });

  it("behavior: a key retired after the anchor (a rotation) leaves what it signed before valid", () => {
    expectValid("key retired after the anchor");
    expect(signatureOf("key retired after the anchor")[0]!.details.retiredAt).toBeGreaterThan(0);
  });

  it("behavior: a key retired in the block that anchored the batch (after it) is not retired before the anchor", () => {
    expectValid("key retired in the anchor's block");
    const [step] = signatureOf("key retired in the anchor's block");
    expect(step!.details.retiredAt).toBe(step!.details.anchoredAt);
  });

  it("error: a key revoked as compromised from the anchor's own second, or from before it, fails", () => {
    expectSignatureFailure("key compromised at the anchor time", /^The signing key was revoked as compromised since .*; this batch was anchored after that \(.*\)\.$/);
    const [step] = signatureOf("key compromised at the anchor time");
    expect(step!.details.compromisedAt).toBe(times.get("compromisedAtAnchor"));
    expect(step!.details.anchoredAt).toBe(times.get("compromisedAtAnchor"));
    expectSignatureFailure("key compromised before the anchor", /^The signing key was revoked as compromised since /);
  });

  it("behavior: a compromise from after the anchor invalidates nothing anchored before it", () => {
    expectValid("key compromised after the anchor");
    const [step] = signatureOf("key compromised after the anchor");
    expect(step!.details.compromisedAt).toBe((step!.details.anchoredAt as number) + 1);
  });

  it("behavior: checked as of a moment before the revocation was mined, the compromise is not known yet; from its block on, it is", () => {
    expectValid("key compromised at the anchor time, checked before the revocation");
    expectSignatureFailure("key compromised at the anchor time, checked at the revocation", /^The signing key was revoked as compromised since /);
  });

  it("error: a key bound to another issuer than the anchoring one fails", () => {
    expectSignatureFailure("key bound to another issuer", /^The signing key is bound to 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC, not to the anchoring issuer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8\.$/);
  });

  it("error: a key never bound fails", () => {
    expectSignatureFailure("key never bound", /^The signing key was never bound to an issuer in the registry\.$/);
  });

  it("error: a key bound only after the anchor fails", () => {
    expectSignatureFailure("key bound after the anchor", /^The signing key was bound at .*, after the batch was anchored \(.*\)\.$/);
  });

  it("error: a registry with no key registry binds no key: fails", () => {
    expectSignatureFailure("registry without a key registry", /^The registry has no signing-key registry, so no key is bound to its issuers \(it predates format v2\)\.$/);
  });

  it("error: a signed field or the signature changed before anchoring (so the anchor covers it): the signature fails, not valid", () => {
    expectSignatureFailure("signed content altered before anchoring", /^The issuer's signature does not verify: .+\.$/);
    expectValid("signed content altered before anchoring: the untouched one");
  });

  it("error: a signed field or the signature changed after anchoring fails at integrity, the signature not checked", () => {
    for (const result of resultsOf("genuine, altered after anchoring")) {
      expect(stepOf(result, "integrity").status).toBe("failed");
      expect(stepOf(result, "signature")).toMatchObject({ status: "skipped", message: "Not checked: the integrity step failed." });
      expect(result.status).toBe("invalid");
    }
  });

  it("behavior: fail closed: no scenario but the genuine ones is valid", () => {
    const genuine = new Set(["genuine", "key retired after the anchor", "key retired in the anchor's block", "key compromised after the anchor", "key compromised at the anchor time, checked before the revocation", "signed content altered before anchoring: the untouched one"]);
    for (const [name, scenario] of scenarios) {
      for (const result of scenario.results!) expect(result.status, name).toBe(genuine.has(name) ? "valid" : "invalid");
    }
  });
});

// ------------------------------------------------------------------ the step alone, at its boundaries

const ANCHORING_ISSUER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ANCHORED_AT = 1_800_000_000;
const KEY_ID = `0x${"11".repeat(32)}`;
const bound = (record: Partial<SigningKeyRecord> = {}): SigningKeyRecord => ({ issuer: ANCHORING_ISSUER, addedAt: ANCHORED_AT - 100, retiredAt: 0, compromisedAt: 0, revokedAt: 0, revocationReason: 0, ...record });

/** Facts of a v2 credential anchored by ANCHORING_ISSUER at ANCHORED_AT, its signature verified, its key bound before. */
function facts(overrides: Partial<CredentialFacts> = {}): CredentialFacts {
  return {
    credential: { proof: { anchor: { issuer: ANCHORING_ISSUER } } } as unknown as CredentialFacts["credential"],
    formatProblems: [],
    hashes: undefined,
    at: { time: ANCHORED_AT + 1_000, explicit: false },
    rpc: { ok: true, chainId: 31337n, latestBlock: 100 },
    registry: { trusted: true, hasCode: true },
    onChain: { anchoredAt: ANCHORED_AT } as unknown as CredentialFacts["onChain"],
    issuer: undefined,
    history: [],
    signed: { document: {}, keyId: KEY_ID },
    signature: { verified: true, message: "verified" },
    signingKey: bound(),
    options: { trustedRegistries: [] },
    ...overrides,
  };
}
const statusOf = (overrides: Partial<CredentialFacts>) => signatureStep(facts(overrides)).status;

describe("signatureStep over constructed facts", () => {
  it("default: a key bound before the anchor, in use: passed", () => {
    expect(statusOf({})).toBe("passed");
    expect(statusOf({ signingKey: bound({ issuer: ANCHORING_ISSUER.toLowerCase() }) }), "addresses compare case-insensitively").toBe("passed");
  });

  it("behavior: bound in the anchor's own second counts as before it; one second later does not", () => {
    expect(statusOf({ signingKey: bound({ addedAt: ANCHORED_AT }) })).toBe("passed");
    expect(statusOf({ signingKey: bound({ addedAt: ANCHORED_AT + 1 }) })).toBe("failed");
  });

  it("behavior: retired in the anchor's own second is not retired before it; one second earlier is", () => {
    expect(statusOf({ signingKey: bound({ retiredAt: ANCHORED_AT }) })).toBe("passed");
    expect(statusOf({ signingKey: bound({ retiredAt: ANCHORED_AT - 1 }) })).toBe("failed");
  });

  it("behavior: compromised from the anchor's own second invalidates it; from one second later, it does not", () => {
    const revoked = (compromisedAt: number) => bound({ compromisedAt, revokedAt: ANCHORED_AT + 500, revocationReason: 4 });
    expect(statusOf({ signingKey: revoked(ANCHORED_AT) })).toBe("failed");
    expect(statusOf({ signingKey: revoked(ANCHORED_AT - 100) })).toBe("failed");
    expect(statusOf({ signingKey: revoked(ANCHORED_AT + 1) })).toBe("passed");
  });

  it("behavior: a revocation counts from the moment it was made when a moment is named; without one, as read from the chain", () => {
    const record = bound({ compromisedAt: ANCHORED_AT, revokedAt: ANCHORED_AT + 500, revocationReason: 4 });
    expect(statusOf({ signingKey: record, at: { time: ANCHORED_AT + 499, explicit: true } }), "checked before the revocation").toBe("passed");
    expect(statusOf({ signingKey: record, at: { time: ANCHORED_AT + 500, explicit: true } }), "checked at the revocation").toBe("failed");
    // The record was read at the latest block: a revocation in it counts even if the verifier's clock is behind the chain's.
    expect(statusOf({ signingKey: record, at: { time: ANCHORED_AT + 499, explicit: false } }), "not named, clock behind the chain").toBe("failed");
  });

  it("error: another issuer, the zero address, no key registry, a signature that does not verify: failed", () => {
    expect(statusOf({ signingKey: bound({ issuer: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" }) })).toBe("failed");
    expect(statusOf({ signingKey: bound({ issuer: "0x0000000000000000000000000000000000000000", addedAt: 0 }) })).toBe("failed");
    expect(statusOf({ signingKey: null })).toBe("failed");
    expect(signatureStep(facts({ signature: { verified: false, message: "Invalid signature" } }))).toMatchObject({ status: "failed", message: "The issuer's signature does not verify: Invalid signature." });
  });

  it("error: what could not be read is 'could not verify', never passed", () => {
    for (const overrides of [{ signature: undefined }, { signingKey: undefined }, { onChain: undefined }, { onChain: { anchoredAt: 0 } as unknown as CredentialFacts["onChain"] }]) {
      const step = signatureStep(facts(overrides));
      expect(step.status, JSON.stringify(overrides)).toBe("skipped");
      expect(step.details.couldNotVerify).toBe(true);
    }
  });

  it("default: format v1 carries no signature: skipped, not 'could not verify'", () => {
    const step = signatureStep(facts({ signed: undefined, signature: undefined, signingKey: undefined }));
    expect(step).toMatchObject({ status: "skipped", details: { formatVersion: 1 } });
    expect(step.details.couldNotVerify).toBeUndefined();
  });
});
