import { createCredential, createList } from "@digitalbazaar/vc-bitstring-status-list";
import type { Ed25519KeyPair } from "@digitalbazaar/ed25519-multikey";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { signCredentialV2 } from "./signCredentialV2.ts";

/** The smallest list the W3C Bitstring Status List allows (16 KB): a list never tells how big its batch is. */
export const MIN_STATUS_LIST_LENGTH = 131_072;

export type StatusListInput = {
  /** Where the issuer publishes the list: each credential's `credentialStatus.statusListCredential`. */
  readonly url: string;
  /** The batch's size: the list covers indices 0 .. leafCount - 1 (and is at least {@link MIN_STATUS_LIST_LENGTH}). */
  readonly leafCount: number;
  /** Indices whose revocation bit is set on chain (read from the registry, never from a file). */
  readonly revoked: Iterable<number>;
  /** The issuer's signing key (its DID is the list's issuer, as it is each credential's). */
  readonly key: Ed25519KeyPair;
  /** The signature's id and time. */
  readonly proofId: string;
  readonly created: Date;
};

/**
 * The revocation list of one batch as a signed `BitstringStatusListCredential` (W3C Bitstring Status List, made by
 * `@digitalbazaar/vc-bitstring-status-list`, signed `eddsa-rdfc-2022` by the issuer's key): what a wallet fetches at
 * `statusListCredential` to check a v2 credential without a chain. Our verifier reads the chain itself.
 */
export async function buildStatusListCredentialV2(input: StatusListInput): Promise<Record<string, unknown>> {
  if (!/^https:\/\/[^\s#]+$/.test(input.url)) throw new InvalidInputError(`The status list URL ${input.url} is not an https URL without a fragment.`, ["Give the https URL the issuer publishes its lists under (statusBaseUrl)."]);
  if (!Number.isSafeInteger(input.leafCount) || input.leafCount < 1 || input.leafCount > 0xffffffff) {
    throw new InvalidInputError(`A batch of ${input.leafCount} credentials cannot have a status list.`);
  }
  const length = Math.max(MIN_STATUS_LIST_LENGTH, Math.ceil(input.leafCount / 8) * 8);
  const list = await createList({ length });
  for (const index of input.revoked) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= input.leafCount) throw new InvalidInputError(`Index ${index} is not in the batch (0 to ${input.leafCount - 1}).`);
    list.setStatus(index, true);
  }
  const unsigned = await createCredential({ id: input.url, list, statusPurpose: "revocation" });
  return signCredentialV2({ ...unsigned, issuer: { id: input.key.controller } }, input.key, input.proofId, input.created);
}
