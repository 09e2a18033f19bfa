import { readFileSync } from "node:fs";
import { buildUnsignedCredential, type CredentialTemplate } from "../../src/credential/buildUnsignedCredential.ts";
import type { UnsignedCredential } from "../../src/credential/credentialSchema.ts";
import type { AchievementInput, RecipientInput } from "../../src/credential/issuanceInputSchema.ts";

export const sampleAchievement = JSON.parse(readFileSync(new URL("../../examples/achievement.json", import.meta.url), "utf8")) as AchievementInput;
export const sampleRecipients = JSON.parse(readFileSync(new URL("../../examples/recipients.json", import.meta.url), "utf8")) as RecipientInput[];

export const SAMPLE_REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

export function sampleTemplate(overrides: Partial<CredentialTemplate> = {}): CredentialTemplate {
  return {
    issuer: { id: "https://demo-university.example/issuer", name: "Demo University" },
    achievement: sampleAchievement,
    registry: { chainId: 31337, address: SAMPLE_REGISTRY },
    validFrom: "2026-07-01T00:00:00Z",
    ...overrides,
  };
}

/** `count` unsigned credentials in index order, recipients cycling through the samples. */
export function sampleCredentials(count: number, template = sampleTemplate()): UnsignedCredential[] {
  return Array.from({ length: count }, (_, index) => {
    const recipient = sampleRecipients[index % sampleRecipients.length]!;
    return buildUnsignedCredential(template, { ...recipient, name: recipient.name && `${recipient.name} ${index}` }, index);
  });
}

/** An anchor for credential files built without a chain (format tests). */
export const SAMPLE_ANCHOR = {
  chainId: "eip155:31337",
  registry: SAMPLE_REGISTRY,
  issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  transactionHash: `0x${"ab".repeat(32)}`,
  blockNumber: 3,
};
