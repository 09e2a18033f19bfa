// Off-chain batch figures: keccak throughput, the cost of each per-credential stage, the 1,000,000-credential
// pipeline end to end (validate + build + canonicalize + hash + tree + all proofs) with its peak memory, and our tree
// against bare merkletreejs on the same leaves. Prints markdown; run by scripts/bench.ts in its own process.
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import keccak256Package from "keccak256";
import { MerkleTree } from "merkletreejs";
import { buildBatchFromRecipients } from "../../src/batch/buildBatchFromRecipients.ts";
import { randomSalts } from "../../src/batch/buildBatch.ts";
import { buildUnsignedCredential, type CredentialTemplate } from "../../src/credential/buildUnsignedCredential.ts";
import { canonicalJson, SharedCanonicalForms } from "../../src/credential/canonicalJson.ts";
import { withoutProof } from "../../src/credential/hashCredential.ts";
import { achievementInputSchema, recipientInputSchema } from "../../src/credential/issuanceInputSchema.ts";
import { keccak256, keccakIsNative } from "../../src/crypto/keccak256.ts";
import { treeFromLeaves } from "../../src/merkle/buildCredentialTree.ts";
import { credentialLeafBuffer } from "../../src/merkle/credentialLeaf.ts";

const require = createRequire(import.meta.url);
const achievement = achievementInputSchema.parse(require("../../examples/achievement.json"));
const template: CredentialTemplate = {
  issuer: { id: "https://demo-university.example/issuer", name: "Demo University" },
  achievement,
  registry: { chainId: 31337, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
  validFrom: "2026-07-01T00:00:00Z",
};
const recipient = (index: number) => ({ name: `Learner ${index}`, email: `learner${index}@example.org` });
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (count: number, ms: number) => `${Math.round(count / (ms / 1000)).toLocaleString("en-US")}/s`;
const mib = (kib: number) => `${Math.round(kib / 1024).toLocaleString("en-US")} MiB`;

// 1. keccak throughput on 64-byte inputs (the size of every tree node and leaf preimage).
const input = Buffer.alloc(64, 0x5a);
const HASHES = 1_000_000;
let start = performance.now();
for (let index = 0; index < HASHES; index += 1) keccak256(input);
const oursMs = performance.now() - start;
start = performance.now();
for (let index = 0; index < HASHES; index += 1) keccak256Package(input);
const packageMs = performance.now() - start;

// 2. One million credentials, end to end, on worker threads.
const MILLION = 1_000_000;
const recipients = Array.from({ length: MILLION }, (_, index) => recipient(index));
const workers = Math.min(availableParallelism(), 8);
start = performance.now();
const batch = await buildBatchFromRecipients(template, recipients, { workers });
const buildMs = performance.now() - start;
start = performance.now();
for (let index = 0; index < MILLION; index += 1) batch.proof(index);
const proofsMs = performance.now() - start;
const pipelinePeakKib = process.resourceUsage().maxRSS;

// 3. Per-credential stages, single-threaded, on 100,000 credentials.
const SAMPLE = 100_000;
const stage = { validate: 0, build: 0, canonicalize: 0, contentHash: 0, saltAndLeaf: 0 };
const shared = new SharedCanonicalForms();
const nextSalt = randomSalts();
for (let index = 0; index < SAMPLE; index += 1) {
  let mark = performance.now();
  recipientInputSchema.parse(recipient(index));
  let now = performance.now();
  stage.validate += now - mark;
  mark = now;
  const credential = buildUnsignedCredential(template, recipient(index), index);
  now = performance.now();
  stage.build += now - mark;
  mark = now;
  shared.share(credential.issuer);
  shared.share(credential.credentialSubject.achievement);
  const canonical = canonicalJson(withoutProof(credential), shared);
  now = performance.now();
  stage.canonicalize += now - mark;
  mark = now;
  const contentHash = keccak256(Buffer.from(canonical, "utf8"));
  now = performance.now();
  stage.contentHash += now - mark;
  mark = now;
  const credentialHash = keccak256(Buffer.concat([nextSalt(), contentHash]));
  credentialLeafBuffer(index, credentialHash);
  stage.saltAndLeaf += performance.now() - mark;
}

// 4. Tree + all proofs: ours against bare merkletreejs (keccak256 package) on the same 1M leaves.
const leaves = Array.from({ length: MILLION }, (_, index) => Buffer.from(batch.leaf(index).slice(2), "hex"));
start = performance.now();
const ours = treeFromLeaves(leaves);
for (let index = 0; index < MILLION; index += 1) ours.proof(index);
const oursTreeMs = performance.now() - start;
start = performance.now();
const bare = new MerkleTree(leaves, keccak256Package, { sortPairs: true });
for (let index = 0; index < MILLION; index += 1) bare.getHexProof(leaves[index]!, index);
const bareTreeMs = performance.now() - start;
if (bare.getHexRoot() !== ours.root || ours.root !== batch.root) throw new Error("the trees disagree");

const stageRows = Object.entries(stage).map(([name, ms]) => `| ${name} | ${((ms * 1000) / SAMPLE).toFixed(1)} µs | ${seconds((ms * MILLION) / SAMPLE)} |`);
const stageTotal = Object.values(stage).reduce((sum, ms) => sum + ms, 0);
const total = buildMs + proofsMs;
console.log(`### Batches (off chain)

keccak-256 of 64 bytes, ${HASHES.toLocaleString("en-US")} hashes: ours ${perSecond(HASHES, oursMs)} (${keccakIsNative ? "native \`keccak\` state, reused" : "JS fallback"}), the \`keccak256\` package ${perSecond(HASHES, packageMs)}; the native \`keccak\` limit measured by the issue is ~940,000/s.

Per-credential stages, one thread, ${SAMPLE.toLocaleString("en-US")} credentials of ${Buffer.byteLength(canonicalJson(withoutProof(buildUnsignedCredential(template, recipient(0), 0))))} canonical bytes each:

| stage | per credential | for 1M on one thread |
|---|---:|---:|
${stageRows.join("\n")}
| **total** | **${((stageTotal * 1000) / SAMPLE).toFixed(1)} µs** | **${seconds((stageTotal * MILLION) / SAMPLE)}** |

1,000,000 credentials end to end (\`buildBatchFromRecipients\` on ${workers} worker threads, then every proof):

| step | time | target |
|---|---:|---|
| validate + build + canonicalize + hash + leaves (workers), tree (main) | ${seconds(buildMs)} | |
| all 1,000,000 proofs | ${seconds(proofsMs)} | |
| **total** | **${seconds(total)}** | ≤ 40 s ${total <= 40_000 ? "✔" : "✘"} |
| peak RSS of the process (workers included) | ${mib(pipelinePeakKib)} | ≤ 2.5 GB ${pipelinePeakKib <= 2.5 * 1024 * 1024 ? "✔" : "✘"} |

Tree + all proofs on the same 1,000,000 leaves:

| | time | |
|---|---:|---|
| ours (merkletreejs, sorted pairs, reused native keccak, proofs by index) | ${seconds(oursTreeMs)} | |
| bare merkletreejs (\`keccak256\` package, proofs by index) | ${seconds(bareTreeMs)} | |
| ratio ours / bare | ${(oursTreeMs / bareTreeMs).toFixed(2)} | ≤ 1.2 ${oursTreeMs / bareTreeMs <= 1.2 ? "✔" : "✘"} |
`);
