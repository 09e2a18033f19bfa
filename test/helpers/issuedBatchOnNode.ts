import { HDNodeWallet } from "ethers";
import { attachProof, proofCreatedAt } from "../../src/batch/attachProof.ts";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { connectRpc } from "../../src/chain/connectRpc.ts";
import { deployRegistry } from "../../src/chain/deployRegistry.ts";
import { registryContract } from "../../src/chain/registryContract.ts";
import { sendRegistryTransaction } from "../../src/chain/sendRegistryTransaction.ts";
import type { Credential } from "../../src/credential/credentialSchema.ts";
import type { RecipientInput } from "../../src/credential/issuanceInputSchema.ts";
import { sampleAchievement } from "./sampleCredentials.ts";

const MNEMONIC = "test test test test test test test test test test test junk"; // Hardhat's public development accounts
export const devWallet = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);

/**
 * On the node at `url`: deploys a registry (dev account #0), accredits dev account #1 as `issuer`, issues and anchors
 * a batch for `recipients`, and revokes the credential at position 1 (Misconduct). Returns the credential files.
 */
export async function issuedBatchOnNode(url: string, issuer: { name: string; profileId: string }, recipients: readonly RecipientInput[]) {
  const { provider } = await connectRpc(url, { pollingIntervalMs: 50 });
  try {
    const governor = devWallet(0).connect(provider);
    const wallet = devWallet(1).connect(provider);
    const deployment = await deployRegistry({ signer: governor });
    await sendRegistryTransaction(registryContract(deployment.address, governor), "accreditIssuer", [wallet.address, issuer.name, issuer.profileId]);
    const batch = await buildBatchFromRecipients(
      { issuer: { id: issuer.profileId, name: issuer.name }, achievement: sampleAchievement, registry: { chainId: 31337, address: deployment.address }, validFrom: "2026-01-01T00:00:00Z" },
      recipients,
    );
    const asIssuer = registryContract(deployment.address, wallet);
    const sent = await sendRegistryTransaction(asIssuer, "anchorBatch", [batch.root, batch.leafCount]);
    const anchor = { chainId: "eip155:31337", registry: deployment.address, issuer: wallet.address, transactionHash: sent.hash, blockNumber: sent.blockNumber };
    const files: Credential[] = Array.from({ length: batch.leafCount }, (_, index) => attachProof(batch.credential(index), batch, index, anchor, proofCreatedAt(sent.blockTime)));
    await sendRegistryTransaction(asIssuer, "revokeCredentials", [batch.root, [files[1]!.proof.leafIndex], 3]);
    return { registry: deployment.address, issuer: wallet.address, root: batch.root, files };
  } finally {
    provider.destroy();
  }
}
