import { BaseError } from "./BaseError.ts";

/** The issuer's input (a file, a flag, a credential file to revoke) is unusable: exit code 1. */
export class InvalidInputError extends BaseError {
  override name = "InvalidInputError";

  constructor(shortMessage: string, metaMessages: string[] = [], details?: string) {
    super(shortMessage, { metaMessages, details });
  }
}

/** The chain refused or could not do what was asked (not accredited, no funds, nonce conflict, revert): exit code 2. */
export class ChainActionError extends BaseError {
  override name = "ChainActionError";

  constructor(shortMessage: string, metaMessages: string[] = [], cause?: unknown, details?: string) {
    super(shortMessage, { metaMessages, cause, details });
  }
}
