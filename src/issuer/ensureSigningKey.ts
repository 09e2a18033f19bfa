import type { Ed25519KeyPair } from "@digitalbazaar/ed25519-multikey";
import type { Signer } from "ethers";
import { hasCode } from "../chain/registryReads.ts";
import { keyRegistryAddressOf } from "../chain/keyRegistryAddressOf.ts";
import { keyRegistryInterface } from "../chain/keyRegistryContract.ts";
import { readSigningKey } from "../chain/keyRegistryReads.ts";
import { type SigningKeySource, signingKeyOf } from "../config/loadSigningKey.ts";
import { signingKeyIdOf } from "../credential/v2/signingKeyIdOf.ts";
import { ChainActionError, InvalidInputError } from "../errors/issuerErrors.ts";
import type { IssuerStore } from "../store/IssuerStore.ts";
import type { ChainContext } from "../chain/openChain.ts";
import { signRecordAndBroadcast, waitRecorded } from "./sendRecordedTransaction.ts";

/** The issuer's signing key for new credentials, and how it stands on chain. */
export type SigningKeyInUse = {
  readonly key: Ed25519KeyPair;
  /** The key as the key registry names it (bytes32). */
  readonly keyId: string;
  readonly generation: number;
  /** The transaction that bound it now, when this call bound it. */
  readonly boundBy: string | null;
};

/** Derived keys tried before giving up: an issuer that rotated this often should set CREDREG_SIGNING_KEY. */
/** Derived generations tried before giving up (also what `credreg key list` looks at). */
export const MAX_KEY_GENERATIONS = 64;

/** The key registry of the chain's registry, or a clear error when the registry predates it. */
export async function requireKeyRegistry(chain: ChainContext): Promise<string> {
  const keyRegistry = keyRegistryAddressOf(chain.registryAddress);
  if (!(await hasCode(chain.provider, keyRegistry))) {
    throw new ChainActionError(`The registry ${chain.registryAddress} has no signing-key registry (it was deployed before format v2).`, [
      "Deploy a current registry with `credreg deploy`, or issue format v1 credentials with --format-version 1.",
    ]);
  }
  return keyRegistry;
}

/**
 * Finds the issuer's signing key and makes sure the key registry binds it to the issuer: the explicit key, or the
 * first derived generation that is not retired or revoked. A key not yet bound is added (one recorded transaction,
 * waited for with `confirmations`), unless `bind` is false (a dry run). A key added by a run that crashed before its
 * transaction was mined is waited for, not added twice.
 */
export async function ensureSigningKey(
  chain: ChainContext,
  signer: Signer,
  store: IssuerStore,
  source: SigningKeySource,
  options: { readonly confirmations: number; readonly bind: boolean },
): Promise<SigningKeyInUse> {
  const keyRegistry = await requireKeyRegistry(chain);
  const issuer = await signer.getAddress();
  const generations = source.kind === "explicit" ? 1 : MAX_KEY_GENERATIONS;
  for (let generation = 1; generation <= generations; generation += 1) {
    const key = await signingKeyOf(source, generation);
    const keyId = signingKeyIdOf(key.publicKeyMultibase)!;
    const record = await readSigningKey(chain.provider, keyRegistry, keyId);
    if (record.issuer === "0x0000000000000000000000000000000000000000") {
      if (!options.bind) return { key, keyId, generation, boundBy: null };
      const pending = store.pendingTransactions(chain.chainId.toString(), "add-signing-key").find((tx) => (tx.payload as { key?: string }).key === keyId);
      let hash = pending !== undefined && (await chain.provider.getTransaction(pending.hash)) !== null ? pending.hash : undefined;
      if (hash === undefined) {
        const sent = await signRecordAndBroadcast({
          chain,
          signer,
          store,
          kind: "add-signing-key",
          batchId: null,
          to: keyRegistry,
          data: keyRegistryInterface.encodeFunctionData("addSigningKey", [keyId]),
          payload: { key: keyId, did: key.controller },
        });
        hash = sent.hash;
      }
      await waitRecorded(chain, store, hash, options.confirmations, `The transaction binding signing key ${key.controller}`);
      return { key, keyId, generation, boundBy: hash };
    }
    if (record.issuer.toLowerCase() !== issuer.toLowerCase()) {
      throw new InvalidInputError(`The signing key ${key.controller} is bound to another issuer (${record.issuer}).`, [
        source.kind === "explicit" ? "Set CREDREG_SIGNING_KEY to a key of your own (a new random seed)." : "Set CREDREG_SIGNING_KEY to a new random seed.",
      ]);
    }
    if (record.retiredAt === 0 && record.revokedAt === 0) return { key, keyId, generation, boundBy: null };
    if (source.kind === "explicit") {
      const what = record.revokedAt !== 0 ? `revoked at ${new Date(record.revokedAt * 1000).toISOString()}` : `retired at ${new Date(record.retiredAt * 1000).toISOString()}`;
      throw new InvalidInputError(`The signing key in CREDREG_SIGNING_KEY (${key.controller}) was ${what}.`, ["Set CREDREG_SIGNING_KEY to a new random seed (e.g. `openssl rand -hex 32`); it is bound on first use."]);
    }
  }
  throw new InvalidInputError(`All ${MAX_KEY_GENERATIONS} signing keys derived from the issuer's key were retired or revoked.`, ["Set CREDREG_SIGNING_KEY to a new random seed (e.g. `openssl rand -hex 32`)."]);
}
