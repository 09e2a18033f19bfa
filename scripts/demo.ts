// npm run demo: the whole chain story on a throwaway local node, with nothing to set up.
// Starts `hardhat node` on 127.0.0.1, deploys the registry, accredits a sample issuer, issues the sample
// micro-credentials (examples/) as one anchored batch with a credential file each, verifies one from its file and the
// chain alone, shows a tampered copy failing, revokes the credential and shows it revoked; then a second issuer, two
// more micro-credentials, and three of them stacked into a certificate (examples/pathway.json) that verifies with its
// components; audits, and stops the node.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import path from "node:path";
import { HDNodeWallet } from "ethers";
import { resolveConfig } from "../src/config/resolveConfig.ts";
import { changeStatuses } from "../src/issuer/changeStatuses.ts";
import { issueBatch } from "../src/issuer/issueBatch.ts";
import { openChain } from "../src/chain/openChain.ts";
import { IssuerStore } from "../src/store/IssuerStore.ts";
import { runAudit } from "../src/cli/auditCommand.ts";
import { connectRpc } from "../src/chain/connectRpc.ts";
import { deployRegistry } from "../src/chain/deployRegistry.ts";
import { writeDeployment } from "../src/chain/deployments.ts";
import { findReason } from "../src/chain/reasonCodes.ts";
import { registryContract } from "../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../src/chain/sendRegistryTransaction.ts";
import { type LocalNode, startHardhatNode } from "../src/devnet/startHardhatNode.ts";
import type { Credential } from "../src/credential/credentialSchema.ts";
import { BaseError } from "../src/errors/BaseError.ts";
import type { VerificationResult } from "../src/verifier/verificationTypes.ts";
import { verifyCredential } from "../src/verifier/verifyCredentials.ts";
import { readPathway } from "../src/stacking/readPathway.ts";
import { readComponentFiles } from "../src/stacking/readStackHolders.ts";
import { stackCredentials } from "../src/stacking/stackCredentials.ts";

/** Hardhat's public development mnemonic: these keys hold test ETH on a local node only. Never use them elsewhere. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const devWallet = (index: number) => HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

const ISSUER_PROFILE = "https://demo-university.example/issuer";
const examples = new URL("../examples/", import.meta.url);

const step = (title: string) => console.log(`\n▸ ${title}`);
const line = (label: string, value: unknown) => console.log(`  ${label.padEnd(18)} ${String(value)}`);

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

    step("Issuing the sample micro-credentials (examples/recipients.csv, examples/achievement.json), as credreg issue does");
    const config = resolveConfig({ "rpc-url": node.url, registry: deployment.address, store: path.join(deploymentsDir, "issuer.sqlite") }, {}, deploymentsDir);
    const chain = await openChain(config);
    const store = IssuerStore.open(config.store);
    const outDir = path.join(deploymentsDir, "issued");
    const issued = await issueBatch(chain, issuerWallet, store, {
      // The demo walks through format 1 files (it tampers their proof object); the README walkthrough issues format 2.
      formatVersion: 1,
      input: fileURLToPath(new URL("recipients.csv", examples)),
      achievement: fileURLToPath(new URL("achievement.json", examples)),
      outDir,
      confirmations: 1,
    });
    line("credentials", issued.leafCount);
    line("merkle root", issued.root);
    line("transaction", `${issued.transactionHash} (block ${issued.blockNumber}, ${issued.gasUsed} gas)`);
    line("files", `${outDir}/credentials/credential-*.json (one per CSV row), batch.jsonl`);
    line("issuer store", config.store);
    const files: Credential[] = [];
    for (const name of (await readdir(path.join(outDir, "credentials"))).sort()) {
      files.push(JSON.parse(await readFile(path.join(outDir, "credentials", name), "utf8")) as Credential);
    }
    const root = issued.root;

    // The first credential whose holder is named in clear (leaf order is shuffled).
    const nameOf = (credential: Credential) => credential.credentialSubject.identifier.find((identity) => identity.identityType === "name")?.identityHash;
    const file = files.find((credential) => nameOf(credential) !== undefined) ?? files[0]!;
    const holder = nameOf(file) ?? "an e-mail-only holder";

    /** Verifies with nothing but the file and the JSON-RPC URL, as `credreg verify` does, and prints the steps. */
    const verifyOptions = { rpcUrl: node.url, trustedRegistries: [deployment.address] };
    const mark = { passed: "✔", failed: "✘", skipped: "-" } as const;
    const show = (result: VerificationResult, steps: readonly string[]) => {
      for (const step of result.steps) if (steps.includes(step.name)) console.log(`  ${mark[step.status]} ${step.name.padEnd(9)} ${step.message}`);
      console.log(`  → ${result.status === "valid" ? "VALID" : result.status === "invalid" ? "NOT VALID" : "COULD NOT VERIFY"}`);
    };

    step(`Verifying ${holder}'s credential ("${file.credentialSubject.achievement.name}") from its file and the chain alone`);
    const before = await verifyCredential(file, verifyOptions);
    show(before, ["format", "integrity", "inclusion", "anchor", "issuer", "status", "validity", "chain"]);

    step("Verifying a tampered copy (validUntil pushed to 2099)");
    const tampered: Credential = { ...structuredClone(file), validUntil: "2099-12-31T23:59:59Z" };
    const forged = await verifyCredential(tampered, verifyOptions);
    show(forged, ["integrity"]);

    const reason = findReason("Misconduct")!;
    const leaf = file.proof.leafIndex;
    step(`Revoking ${holder}'s credential (leaf ${leaf}, reason ${reason.code}: ${reason.name}), as credreg revoke does`);
    const revocation = await changeStatuses(chain, issuerWallet, store, "revoke", [{ root, indices: [leaf] }], reason.code, 1);
    line("transaction", `${revocation.transactions[0]!.hash} (${revocation.transactions[0]!.gasUsed} gas)`);

    step(`Verifying ${holder}'s credential again`);
    const after = await verifyCredential(file, verifyOptions);
    show(after, ["integrity", "status"]);

    const other = files.find((credential) => credential.proof.leafIndex !== leaf)!;
    const otherLeaf = other.proof.leafIndex;
    step(`Suspending another credential (leaf ${otherLeaf}, UnderInvestigation), then reinstating it (ReviewCompleted)`);
    await changeStatuses(chain, issuerWallet, store, "suspend", [{ root, indices: [otherLeaf] }], findReason("UnderInvestigation")!.code, 1);
    const suspended = await verifyCredential(other, verifyOptions);
    show(suspended, ["status"]);
    await changeStatuses(chain, issuerWallet, store, "reinstate", [{ root, indices: [otherLeaf] }], findReason("ReviewCompleted")!.code, 1);
    const reinstated = await verifyCredential(other, verifyOptions);
    show(reinstated, ["status"]);
    step("Stacking: a second accredited issuer (Open College, dev account #2), and two more micro-credentials (format 2)");
    const collegeWallet = devWallet(2).connect(provider);
    await sendRegistryTransaction(asGovernor, "accreditIssuer", [collegeWallet.address, "Open College", "https://open-college.example/issuer"]);
    const issueMore = async (signer: HDNodeWallet, achievement: string, folder: string) => {
      const more = await issueBatch(chain, signer, store, { input: fileURLToPath(new URL("recipients.csv", examples)), achievement: fileURLToPath(new URL(achievement, examples)), outDir: path.join(deploymentsDir, folder), confirmations: 1 });
      line(folder, `${more.leafCount} credentials by ${signer === collegeWallet ? "Open College" : "Demo University"}, root ${more.root}`);
    };
    await issueMore(issuerWallet, "stacking/statistics.json", "issued-statistics");
    await issueMore(collegeWallet, "stacking/sql.json", "issued-sql");

    // Grace Hopper (line 4 of recipients.csv): her Python credential (format 1), Statistics (format 2, its baked SVG) and SQL.
    const gracesFiles = [path.join(outDir, "credentials", "credential-000004.json"), path.join(deploymentsDir, "issued-statistics", "credentials", "credential-000004.svg"), path.join(deploymentsDir, "issued-sql", "credentials", "credential-000004.json")];
    const pathway = await readPathway(fileURLToPath(new URL("pathway.json", examples)));
    step(`Stacking Grace Hopper's three credentials into "${pathway.qualification.name}" (examples/pathway.json: 3 of 4, at least 13 ECTS), as credreg stack does`);
    const stacked = await stackCredentials(chain, issuerWallet, store, { pathway, holders: [{ name: "Grace Hopper", email: "grace@example.org", components: await readComponentFiles(gracesFiles) }], outDir: path.join(deploymentsDir, "stacked"), confirmations: 1 });
    line("components", stacked.holders[0]!.components.map((component) => component.name).join(", "));
    line("transaction", `${stacked.transactionHash} (block ${stacked.blockNumber})`);
    const stackedFile = path.join(deploymentsDir, "stacked", "credentials", (await readdir(path.join(deploymentsDir, "stacked", "credentials"))).find((name) => name.endsWith(".json"))!);
    step("Verifying the stacked credential: its own steps, then each component on chain and the pathway's rule");
    const certificate = await verifyCredential(await readFile(stackedFile, "utf8"), verifyOptions);
    show(certificate, ["signature", "status", "components"]);
    store.close();
    chain.close();

    step("The demo issuer's history, from chain events alone (credreg audit issuer)");
    const audit = await runAudit({ subject: "issuer", args: [issuerWallet.address], format: "table", reindex: false, config: { ...config, confirmations: 1 } });
    console.log(audit.text.split("\n").map((row) => `  ${row}`).join("\n"));
    const report = await runAudit({ subject: "report", args: [issuerWallet.address], format: "table", reindex: false, config });
    console.log(`  ${report.text.split("\n")[0]}`);

    const expected = before.status === "valid" && forged.status === "invalid" && after.status === "invalid" && suspended.status === "invalid" && reinstated.status === "valid" && certificate.status === "valid";
    if (!expected) throw new Error("The demo did not see the expected verdicts.");
    provider.destroy();
    console.log("\n✔ Demo complete: issued and anchored, verified from a file and the chain, tampered copy rejected, revoked, suspended and reinstated, three credentials of two issuers stacked into a certificate that verifies, audited.");
  } finally {
    await stopNode();
  }
}

main().catch((error: unknown) => {
  console.error(`\n✘ Demo failed: ${error instanceof BaseError ? error.message : error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
