import { WrongChainError } from "../errors/chainErrors.ts";

/**
 * Throws {@link WrongChainError} when the RPC serves another chain than the configured one; no configured chain id
 * accepts any. The one check of every command (deploy included) and of the server.
 */
export function assertExpectedChain(configured: bigint | undefined, served: bigint): void {
  if (configured !== undefined && configured !== served) throw new WrongChainError(configured, served);
}
