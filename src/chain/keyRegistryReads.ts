import type { Provider } from "ethers";
import { keyRegistryInterface } from "./keyRegistryContract.ts";
import { type ReadAt, rawEthCall } from "./registryReads.ts";

/** The IssuerKeyRegistry's record of a signing key (`signingKey(key)`), in seconds; 0 = never. */
export type SigningKeyRecord = {
  /** The issuer the key is bound to; the zero address when the key was never added. */
  readonly issuer: string;
  readonly addedAt: number;
  readonly retiredAt: number;
  readonly compromisedAt: number;
  readonly revokedAt: number;
  readonly revocationReason: number;
};

/** One `eth_call` to `signingKey(key)` of the key registry at `keyRegistry`. */
export async function readSigningKey(provider: Provider, keyRegistry: string, key: string, blockTag?: ReadAt): Promise<SigningKeyRecord> {
  const answer = await rawEthCall(provider, keyRegistry, keyRegistryInterface.encodeFunctionData("signingKey", [key]), blockTag);
  const [record] = keyRegistryInterface.decodeFunctionResult("signingKey", answer);
  return {
    issuer: String(record.issuer),
    addedAt: Number(record.addedAt),
    retiredAt: Number(record.retiredAt),
    compromisedAt: Number(record.compromisedAt),
    revokedAt: Number(record.revokedAt),
    revocationReason: Number(record.revocationReason),
  };
}
