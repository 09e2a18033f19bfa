// Gas of every registry write and of the verification views, measured on the in-process Hardhat network
// (solc 0.8.28, optimizer on), beside the peer's figures (OpenAttestation DocumentStore, measured on this machine
// with solc 0.8.28). Prints markdown; run by scripts/bench.ts.
import { randomBytes } from "node:crypto";
import { network } from "hardhat";
import { type Contract, id } from "ethers";
import { buildCredentialTree } from "../../src/merkle/buildCredentialTree.ts";

const PEER_ANCHOR = 48_262; // DocumentStore.issue(root): stores only a bool
const PEER_REVOKE = 55_077; // DocumentStore.revoke(root, leaf, proof) at proof depth 1

const connection = await network.create();
const { ethers } = connection;
const [admin, issuer] = await ethers.getSigners();
if (!admin || !issuer) throw new Error("no accounts");
const registry = (await ethers.deployContract("CredentialRegistry", [172_800, admin.address])) as unknown as Contract;
const asIssuer = registry.connect(issuer) as Contract;
const role = await registry.getFunction("ACCREDITOR_ROLE")();
await (await registry.getFunction("grantRole")(role, admin.address)).wait();

let counter = 0;
const freshRoot = () => id(`bench root ${counter++}`);

async function gasOf(send: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await send).wait();
  return Number(receipt!.gasUsed);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type Row = { operation: string; gas: string; perCredential?: string; target?: string; peer?: string; verdict?: string };
const rows: Row[] = [];
const fmt = (value: number) => Math.round(value).toLocaleString("en-US");

// Governance
const accreditGas = await gasOf(registry.getFunction("accreditIssuer")(issuer.address, "University of Example", "https://university.example/issuer"));
rows.push({ operation: "accreditIssuer (name 21 B, profileId 34 B)", gas: fmt(accreditGas) });

// anchorBatch: 25 fresh random-looking roots for each of three batch sizes (calldata differs with the count's bytes).
for (const leafCount of [1, 1000, 1_000_000]) {
  const samples: number[] = [];
  for (let sample = 0; sample < 25; sample += 1) samples.push(await gasOf(asIssuer.getFunction("anchorBatch")(freshRoot(), leafCount)));
  const value = median(samples);
  rows.push({
    operation: `anchorBatch (leafCount ${leafCount.toLocaleString("en-US")}; median of 25 roots, max ${fmt(Math.max(...samples))})`,
    gas: fmt(value),
    target: "≤ 48,262 (aim ≤ 48,000)",
    peer: `${fmt(PEER_ANCHOR)} (issue(root))`,
    verdict: Math.max(...samples) <= PEER_ANCHOR ? (value <= 48_000 ? "✔ (aim met)" : "✔ (aim not met)") : "✘",
  });
}

// Revoking one credential: first bit of a fresh status word (worst case), and a second bit in the same word.
const revokeRoot = freshRoot();
await (await asIssuer.getFunction("anchorBatch")(revokeRoot, 1_000_000)).wait();
const revokeOneFresh = await gasOf(asIssuer.getFunction("revokeCredentials")(revokeRoot, [5], 3));
const revokeOneWarmWord = await gasOf(asIssuer.getFunction("revokeCredentials")(revokeRoot, [6], 3));
rows.push({
  operation: "revokeCredentials, 1 credential (fresh status word)",
  gas: fmt(revokeOneFresh),
  target: "≤ 50,000",
  peer: `${fmt(PEER_REVOKE)} (revoke, depth 1)`,
  verdict: revokeOneFresh <= 50_000 ? "✔" : "✘ (floor ≈ 50,450: see below)",
});
rows.push({ operation: "revokeCredentials, 1 credential (word already in use)", gas: fmt(revokeOneWarmWord), target: "≤ 50,000", peer: fmt(PEER_REVOKE), verdict: revokeOneWarmWord <= 50_000 ? "✔" : "✘" });

// Revoking 256 credentials of one batch in one call: consecutive (one word) and scattered over a 1M batch.
const consecutive = Array.from({ length: 256 }, (_, index) => 1024 + index);
const bulkConsecutive = await gasOf(asIssuer.getFunction("revokeCredentials")(revokeRoot, consecutive, 3));
const scattered = Array.from({ length: 256 }, (_, index) => 10_000 + index * 3_803);
const bulkScattered = await gasOf(asIssuer.getFunction("revokeCredentials")(revokeRoot, scattered, 3));
for (const [label, gas] of [["256 consecutive indices (1 word)", bulkConsecutive], ["256 indices scattered over 1M (256 words)", bulkScattered]] as const) {
  rows.push({
    operation: `revokeCredentials, ${label}`,
    gas: fmt(gas),
    perCredential: fmt(gas / 256),
    target: "≤ 3,000 per credential",
    peer: `${fmt(PEER_REVOKE)} per credential (one tx each)`,
    verdict: gas / 256 <= 3_000 ? "✔" : "✘ (each fresh word costs 22,100)",
  });
}

// Suspension and reinstatement
const suspendOne = await gasOf(asIssuer.getFunction("suspendCredentials")(revokeRoot, [70_000], 8));
const reinstateOne = await gasOf(asIssuer.getFunction("reinstateCredentials")(revokeRoot, [70_000], 9));
const suspend256 = await gasOf(asIssuer.getFunction("suspendCredentials")(revokeRoot, Array.from({ length: 256 }, (_, index) => 80_128 + index), 8));
rows.push({ operation: "suspendCredentials, 1 credential (fresh words)", gas: fmt(suspendOne) });
rows.push({ operation: "reinstateCredentials, 1 credential", gas: fmt(reinstateOne) });
rows.push({ operation: "suspendCredentials, 256 consecutive", gas: fmt(suspend256), perCredential: fmt(suspend256 / 256) });
rows.push({ operation: "revokeBatch", gas: fmt(await gasOf(asIssuer.getFunction("revokeBatch")(revokeRoot, 2))) });
rows.push({ operation: "deactivateIssuer", gas: fmt(await gasOf(registry.getFunction("deactivateIssuer")(issuer.address, 7))) });

// Views (eth_call gas, paid by nobody but bounded by the node's call gas cap)
const [, viewIssuer] = await ethers.getSigners();
const viewRows: Row[] = [];
for (const size of [1_000, 1_000_000]) {
  const hashes = Array.from({ length: size }, () => `0x${randomBytes(32).toString("hex")}`);
  const tree = buildCredentialTree(hashes);
  const proof = tree.proof(0);
  const single = await registry.getFunction("credentialStatus").estimateGas(viewIssuer!.address, tree.root, 0, hashes[0], proof);
  viewRows.push({ operation: `credentialStatus, proof depth ${proof.length} (${size.toLocaleString("en-US")}-credential batch)`, gas: fmt(Number(single) - 21_000) });
  if (size === 1_000) {
    const queries = Array.from({ length: 200 }, (_, index) => [viewIssuer!.address, tree.root, index, hashes[index], tree.proof(index)]);
    const bulk = await registry.getFunction("credentialStatuses").estimateGas(queries);
    viewRows.push({ operation: "credentialStatuses, 200 credentials at depth 10 (library chunk size)", gas: fmt(Number(bulk) - 21_000), perCredential: fmt((Number(bulk) - 21_000) / 200) });
  }
}
await connection.close();

const header = "| operation | gas | per credential | target | peer (DocumentStore) | |\n|---|---:|---:|---|---|---|";
const table = [header, ...rows.map((row) => `| ${row.operation} | ${row.gas} | ${row.perCredential ?? ""} | ${row.target ?? ""} | ${row.peer ?? ""} | ${row.verdict ?? ""} |`)].join("\n");
const viewTable = ["| view (eth_call, gas above the 21,000 base) | gas | per credential |", "|---|---:|---:|", ...viewRows.map((row) => `| ${row.operation} | ${row.gas} | ${row.perCredential ?? ""} |`)].join("\n");
console.log(`### Gas\n\n${table}\n\n${viewTable}\n`);

