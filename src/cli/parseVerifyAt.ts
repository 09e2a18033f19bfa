import { InvalidInputError } from "../errors/issuerErrors.ts";
import type { VerifyAt } from "../verifier/verificationTypes.ts";

/** `credreg verify --at`: a block number (digits only) or a date; anything else is an error that says what to give. */
export function parseVerifyAt(text: string | undefined): VerifyAt | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return { block: Number(text) };
  if (!Number.isNaN(Date.parse(text))) return { date: new Date(text) };
  throw new InvalidInputError(`--at ${text} is neither a date nor a block number.`, ["Give e.g. --at 2027-01-31T00:00:00Z or --at 123456."]);
}
