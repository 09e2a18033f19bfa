import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkInclusion } from "../../src/batch/checkInclusion.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { runSteps, STEP_TABLE } from "../../src/verifier/runSteps.ts";
import { STEP_NAMES, type CredentialFacts } from "../../src/verifier/verificationTypes.ts";

// The runner over hand-made facts (no chain): the frozen genuine credential, with an answering chain that agrees.
const credential = JSON.parse(readFileSync(new URL("../fixtures/forged/genuine.json", import.meta.url), "utf8")) as Credential;
const { anchor } = credential.proof;
const anchoredAt = Date.parse(credential.proof.created) / 1000;

function facts(overrides: Partial<CredentialFacts> = {}): CredentialFacts {
  return {
    credential,
    formatProblems: [],
    hashes: checkInclusion(credential),
    at: { time: anchoredAt + 100, explicit: false },
    rpc: { ok: true, chainId: 31337n, latestBlock: anchor.blockNumber + 5 },
    registry: { trusted: true, hasCode: true },
    onChain: {
      proofValid: true, indexInRange: true, revoked: false, suspended: false, batchRevoked: false, leafCount: 4, anchoredAt, anchoredBlock: anchor.blockNumber,
      batchRevokedAt: 0, batchRevocationReason: 0, issuerAccreditedAt: anchoredAt - 10, issuerDeactivatedAt: 0,
    },
    issuer: { name: "Demo University", profileId: credential.issuer.id, accreditedAt: anchoredAt - 10, deactivatedAt: 0, deactivationReason: 0 },
    history: undefined,
    anchorTransaction: anchor.transactionHash,
    options: { trustedRegistries: [anchor.registry] },
    ...overrides,
  };
}

const statuses = (result: ReturnType<typeof runSteps>) => Object.fromEntries(result.steps.map((step) => [step.name, step.status]));

describe("runSteps", () => {
  it("default: every required step passed is the only way to valid; the issuer name shown is the chain's", () => {
    const result = runSteps(facts());
    expect(result.status).toBe("valid");
    expect(result.steps.map((step) => step.name)).toEqual([...STEP_NAMES]);
    expect(result.summary.issuerName).toBe("Demo University");
    const renamed = runSteps(facts({ issuer: { ...facts().issuer!, name: "Registry Name" } }));
    expect(renamed.summary.issuerName).toBe("Registry Name");
  });

  it("behavior: an exception in a step is that step failed (with the reason), and what depends on it is skipped naming it", () => {
    const throwing = facts();
    Object.defineProperty(throwing, "onChain", { get: () => { throw new Error("decoder exploded"); } });
    const result = runSteps(throwing);
    expect(result.status).toBe("invalid");
    const inclusion = result.steps.find((step) => step.name === "inclusion")!;
    expect(inclusion).toMatchObject({ status: "failed", message: "The inclusion check could not be completed: decoder exploded.", details: { exception: true } });
    for (const name of ["anchor", "issuer", "status"]) expect(result.steps.find((step) => step.name === name)).toMatchObject({ status: "skipped", message: "Not checked: the inclusion step failed." });
    expect(result.summary.issuerName).toBeUndefined();
  });

  it("behavior: hashes that could not be computed fail integrity (never a skip), and nothing downstream passes", () => {
    const result = runSteps(facts({ hashes: undefined, hashError: "the string has a lone surrogate" }));
    expect(statuses(result)).toMatchObject({ format: "passed", integrity: "failed", inclusion: "skipped", anchor: "skipped", issuer: "skipped", status: "skipped", chain: "passed" });
    expect(result.status).toBe("invalid");
    expect(result.steps.find((step) => step.name === "integrity")!.message).toBe("The file's hashes cannot be recomputed: the string has a lone surrogate.");
    expect(result.steps.find((step) => step.name === "status")!.message).toBe("Not checked: the integrity step failed.");
  });

  it("behavior: a step that could not be verified makes the verdict error, and its dependants say so", () => {
    const result = runSteps(facts({ onChain: undefined }));
    expect(result.status).toBe("error");
    expect(result.steps.find((step) => step.name === "anchor")).toMatchObject({ status: "skipped", message: "Not checked: the inclusion step could not be verified." });
    expect(result.error?.message).toBe("Could not verify: the registry's credentialStatus could not be read.");
  });

  it("behavior: the recipient step is required only when an address was given", () => {
    expect(runSteps(facts()).status).toBe("valid");
    expect(runSteps(facts({ options: { trustedRegistries: [anchor.registry], recipient: "someone@example.org" } })).status).toBe("invalid");
    expect(runSteps(facts({ options: { trustedRegistries: [anchor.registry], recipient: "zoe@example.org" } })).status).toBe("valid");
  });

  it("behavior: the table runs each step only after what it needs, and every step but recipient is required", () => {
    const order = Object.keys(STEP_TABLE);
    for (const [name, definition] of Object.entries(STEP_TABLE)) for (const need of definition.needs) expect(order.indexOf(need), `${name} needs ${need}`).toBeLessThan(order.indexOf(name));
    expect(STEP_TABLE.inclusion.needs).toEqual(["integrity", "chain"]);
    expect(STEP_TABLE.anchor.needs).toEqual(["inclusion"]);
    expect(STEP_TABLE.integrity.needs).toEqual(["format"]);
    // A v1 credential carries no signature: that step is required of format 2 only.
    // Nor a components step: that one is required of stacked credentials only.
    expect(Object.entries(STEP_TABLE).filter(([, definition]) => !definition.required(facts())).map(([name]) => name)).toEqual(["signature", "components", "recipient"]);
    expect(STEP_TABLE.signature.required(facts({ signed: { document: {}, keyId: `0x${"11".repeat(32)}` } }))).toBe(true);
    expect(STEP_TABLE.components.required(facts({ stacked: { pathway: { id: "https://example.org/pathway", required: 1, components: [{ achievement: "https://example.org/a" }] }, components: [] } }))).toBe(true);
  });
});
