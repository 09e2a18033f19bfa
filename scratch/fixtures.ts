import { writeFileSync } from "node:fs";
import { attachProof } from "../src/batch/attachProof.ts";
import { buildBatch } from "../src/batch/buildBatch.ts";
import { buildUnsignedCredential } from "../src/credential/buildUnsignedCredential.ts";
import { sampleTemplate } from "../test/helpers/sampleCredentials.ts";
const template = sampleTemplate({ validUntil: "2031-06-30T23:59:59Z" });
const recipients = [
  { name: "Zoë Ångström-Nakamura 中村", email: "zoe@example.org", creditsEarned: 5, result: [{ type: ["Result"], value: "A", resultDescription: "Final grade (A–F scale)" }], evidence: [{ type: ["Evidence"], id: "https://demo-university.example/evidence/project-0", name: "Final project", narrative: "Reproducible analysis of air-quality data." }] },
  { email: "learner1@example.org", validFrom: "2026-07-15T09:30:00+02:00" },
  { name: "Learner Two" },
];
const credentials = recipients.map((recipient, index) =>
  buildUnsignedCredential(template, recipient as never, index, { id: `urn:uuid:00000000-0000-4000-8000-00000000000${index}`, emailSalt: `${index}`.repeat(32) }),
);
const batch = buildBatch(credentials, { salt: (index) => Buffer.alloc(32, 0x11 * (index + 1)) });
const anchor = { chainId: "eip155:31337", registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3", issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", transactionHash: `0x${"ab".repeat(32)}`, blockNumber: 4 };
const expected = { root: batch.root, leafCount: batch.leafCount, credentials: [] as unknown[] };
credentials.forEach((credential, index) => {
  const file = attachProof(credential, batch, index, anchor, "2026-07-01T12:00:00Z");
  writeFileSync(`test/fixtures/credentials/credential-${index}.json`, `${JSON.stringify(file, null, 2)}\n`);
  expected.credentials.push({ file: `credential-${index}.json`, contentHash: batch.contentHash(index), credentialHash: batch.credentialHash(index), leaf: batch.leaf(index) });
});
writeFileSync("test/fixtures/credentials/expected.json", `${JSON.stringify(expected, null, 2)}\n`);
console.log(expected);
