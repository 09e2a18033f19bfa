import { getAddress, isAddress } from "ethers";
import { InvalidInputError } from "../errors/issuerErrors.ts";

/** `value` as a checksummed address; the user's mistake (naming `what`) when it is missing or not an address. */
export function requireAddress(value: string | undefined, what: string): string {
  if (value === undefined || !isAddress(value)) throw new InvalidInputError(`${what} must be an Ethereum address${value === undefined ? "" : ` (got ${JSON.stringify(value)})`}.`, ["Give a 0x-prefixed 20-byte address."]);
  return getAddress(value);
}
