import { attachProof, proofCreatedAt } from "../../src/batch/attachProof.ts";
import { buildBatch } from "../../src/batch/buildBatch.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { buildUnsignedCredential } from "../../src/credential/buildUnsignedCredential.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import { devWallet } from "./issuedBatchOnNode.ts";
import { sampleAchievement } from "./sampleCredentials.ts";

/** Block time of the anchor: fixed, so that `proof.created` and the whole file are the same on every fresh node. */
export const DETERMINISTIC_ANCHOR_TIME = 1_893_456_000; // 2030-01-01T00:00:00Z
export const DETERMINISTIC_ISSUER = { name: "Demo University", profileId: "https://demo-university.example/issuer" };

const RECIPIENTS = [
  { name: "Zoë Ångström-Nakamura 中村", email: "zoe@example.org", creditsEarned: 5 },
  { name: "Ada Lovelace", email: "ada@example.org", result: [{ type: ["Result"] as ["Result"], value: "A" }] },
  { name: "José Müller", email: "jose@example.org" },
  { name: "Grace Hopper" },
];

/**
 * On a FRESH node at `url`, byte-for-byte the same credential files every time: deploys the registry (dev account #0,
 * fixed nonce so fixed address), accredits dev account #1, builds four credentials with fixed ids, e-mail salts and
 * salts, anchors them with fixed gas settings at a fixed block time, then revokes credential 1 (Misconduct) and
 * suspends credential 2 (UnderInvestigation). Credentials 0 and 3 are valid. The frozen corpus of forged files in
 * test/fixtures/forged was made from these files.
 */
export async function deterministicBatchOnNode(url: string): Promise<{ registry: string; issuer: string; root: string; files: Credential[] }> {
  const { provider } = await connectRpc(url, { pollingIntervalMs: 50 });
  try {
    const governor = devWallet(0).connect(provider);
    const wallet = devWallet(1).connect(provider);
    const deployment = await deployRegistry({ signer: governor });
    const asGovernor = registryContract(deployment.address, governor);
    await (await asGovernor.getFunction("accreditIssuer")(wallet.address, DETERMINISTIC_ISSUER.name, DETERMINISTIC_ISSUER.profileId)).wait();
    const template = { issuer: { id: DETERMINISTIC_ISSUER.profileId, name: DETERMINISTIC_ISSUER.name }, achievement: sampleAchievement, registry: { chainId: 31337, address: deployment.address }, validFrom: "2026-01-01T00:00:00Z" };
    const unsigned = RECIPIENTS.map((recipient, index) =>
      buildUnsignedCredential(template, recipient, index, { id: `urn:uuid:00000000-0000-4000-8000-00000000000${index}`, emailSalt: `${index}`.repeat(32) }),
    );
    const batch = buildBatch(unsigned, { salt: (index) => Buffer.alloc(32, index + 1) });
    const fees = { gasLimit: 100_000, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n };
    const asIssuer = registryContract(deployment.address, wallet);
    await provider.send("evm_setNextBlockTimestamp", [DETERMINISTIC_ANCHOR_TIME]);
    const receipt = await (await asIssuer.getFunction("anchorBatch")(batch.root, batch.leafCount, { ...fees, nonce: 0 })).wait();
    const anchor = { chainId: "eip155:31337", registry: deployment.address, issuer: wallet.address, transactionHash: receipt.hash as string, blockNumber: receipt.blockNumber as number };
    const files = unsigned.map((credential, index) => attachProof(credential, batch, index, anchor, proofCreatedAt(DETERMINISTIC_ANCHOR_TIME)));
    await (await asIssuer.getFunction("revokeCredentials")(batch.root, [1], 3, { ...fees, nonce: 1 })).wait();
    await (await asIssuer.getFunction("suspendCredentials")(batch.root, [2], 8, { ...fees, nonce: 2 })).wait();
    return { registry: deployment.address, issuer: wallet.address, root: batch.root, files };
  } finally {
    provider.destroy();
  }
}
