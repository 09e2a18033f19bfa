// npm run demo: the whole chain story on a throwaway local node, with nothing to set up.
// Starts `hardhat node` on 127.0.0.1, deploys the registry, accredits a sample issuer, anchors a batch of sample
// micro-credential hashes, checks one credential through credentialStatus, revokes it, shows it revoked, and stops
// the node. Later issues extend it with the real issuer pipeline, verifier and auditor.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AbiCoder, HDNodeWallet, keccak256, randomBytes, toUtf8Bytes } from "ethers";
import { connectRpc } from "../src/chain/connectRpc.ts";
import { deployRegistry } from "../src/chain/deployRegistry.ts";
import { writeDeployment } from "../src/chain/deployments.ts";
import { readCredentialStatus } from "../src/chain/readCredentialStatus.ts";
import { describeReason, findReason } from "../src/chain/reasonCodes.ts";
import { registryContract } from "../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../src/chain/sendRegistryTransaction.ts";
import { type LocalNode, startHardhatNode } from "../src/devnet/startHardhatNode.ts";
import { BaseError } from "../src/errors/BaseError.ts";
import { buildCredentialTree } from "../src/merkle/buildCredentialTree.ts";

/** Hardhat's public development mnemonic: these keys hold test ETH on a local node only. Never use them elsewhere. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const devWallet = (index: number) => HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

const ISSUER_PROFILE = "https://demo-university.example/issuer";
const recipients = [
  ["Ada Lovelace", "Data Analysis with Python"],
  ["Alan Turing", "Applied Cryptography"],
  ["Grace Hopper", "Compiler Construction"],
  ["Katherine Johnson", "Orbital Mechanics for Engineers"],
  ["Edsger Dijkstra", "Structured Programming"],
  ["Barbara Liskov", "Distributed Systems Design"],
] as const;

const step = (title: string) => console.log(`\n▸ ${title}`);
const line = (label: string, value: unknown) => console.log(`  ${label.padEnd(16)} ${String(value)}`);

async function main(): Promise<void> {
  let node: LocalNode | undefined;
  const stopNode = async () => {
    if (!node) return;
    const running = node;
    node = undefined;
    await running.stop();
    console.log("\n▸ Stopped the local node.");
  };
  process.once("SIGINT", () => void stopNode().finally(() => process.exit(130)));
  try {
    step("Starting a local Hardhat node on 127.0.0.1");
    node = await startHardhatNode();
    const { provider, chainId } = await connectRpc(node.url, { pollingIntervalMs: 100 });
    line("JSON-RPC", node.url);
    line("chain id", chainId);

    const governor = devWallet(0).connect(provider);
    const issuerWallet = devWallet(1).connect(provider);

    step("Deploying CredentialRegistry (admin and accreditor: dev account #0)");
    const deployment = await deployRegistry({ signer: governor });
    const deploymentsDir = await mkdtemp(path.join(tmpdir(), "credreg-demo-"));
    const deploymentFile = await writeDeployment(deployment, deploymentsDir);
    line("registry", deployment.address);
    line("block", deployment.blockNumber);
    line("recorded in", deploymentFile);

    step("Accrediting a sample issuer (dev account #1)");
    const asGovernor = registryContract(deployment.address, governor);
    const accredited = await sendRegistryTransaction(asGovernor, "accreditIssuer", [issuerWallet.address, "Demo University", ISSUER_PROFILE]);
    line("issuer", issuerWallet.address);
    line("profile id", ISSUER_PROFILE);
    line("transaction", accredited.hash);

    step(`Anchoring a batch of ${recipients.length} sample micro-credential hashes`);
    const coder = AbiCoder.defaultAbiCoder();
    const credentialHashes = recipients.map(([name, achievement]) => {
      // Sample content and a fresh 32-byte salt per credential; the real credential format comes with the issuer pipeline.
      const contentHash = keccak256(toUtf8Bytes(JSON.stringify({ issuer: ISSUER_PROFILE, name, achievement })));
      return keccak256(coder.encode(["bytes32", "bytes32"], [randomBytes(32), contentHash]));
    });
    const tree = buildCredentialTree(credentialHashes);
    const asIssuer = registryContract(deployment.address, issuerWallet);
    const anchored = await sendRegistryTransaction(asIssuer, "anchorBatch", [tree.root, tree.leafCount]);
    line("merkle root", tree.root);
    line("transaction", anchored.hash);
    line("block", anchored.blockNumber);
    line("gas used", anchored.gasUsed);

    const index = 1;
    const [name, achievement] = recipients[index]!;
    const query = { issuer: issuerWallet.address, root: tree.root, index, credentialHash: credentialHashes[index]!, proof: tree.proof(index) };

    step(`Checking credential #${index} (${name}, "${achievement}") with one credentialStatus call`);
    const before = await readCredentialStatus(asIssuer, query);
    const issuerRecord = await asIssuer.getFunction("issuer")(issuerWallet.address);
    line("proof valid", before.proofValid);
    line("anchored at", `${new Date(before.anchoredAt * 1000).toISOString()} (block ${before.anchoredBlock})`);
    line("issuer", `${issuerRecord.name} (${issuerRecord.profileId}), accredited, active`);
    line("revoked", before.revoked);
    const validBefore = before.proofValid && before.indexInRange && before.anchoredAt > 0 && !before.revoked && !before.suspended;
    line("verdict", validBefore ? "VALID" : "NOT VALID");

    const reason = findReason("Misconduct")!;
    step(`Revoking credential #${index} (reason ${reason.code}: ${reason.name})`);
    const revoked = await sendRegistryTransaction(asIssuer, "revokeCredentials", [tree.root, [index], reason.code]);
    line("transaction", revoked.hash);
    line("gas used", revoked.gasUsed);

    step(`Checking credential #${index} again`);
    const after = await readCredentialStatus(asIssuer, query);
    const [event] = await asIssuer.queryFilter(asIssuer.filters.CredentialRevoked!(issuerWallet.address, tree.root), revoked.blockNumber, revoked.blockNumber);
    const revokedBlock = await provider.getBlock(revoked.blockNumber);
    const eventReason = describeReason((event as unknown as { args: { reason: bigint } }).args.reason);
    line("proof valid", after.proofValid);
    line("revoked", after.revoked);
    line("why", `${eventReason.name}: ${eventReason.description}`);
    line("when", `${new Date(Number(revokedBlock?.timestamp) * 1000).toISOString()} (block ${revoked.blockNumber}, tx ${event?.transactionHash})`);
    line("verdict", after.revoked ? "REVOKED" : "still valid");

    if (!validBefore || !after.revoked) throw new Error("The demo did not see the expected statuses.");
    provider.destroy();
    console.log("\n✔ Demo complete: anchored, verified on chain, revoked, and seen revoked.");
  } finally {
    await stopNode();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✘ Demo failed: ${error instanceof BaseError ? error.message : error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
