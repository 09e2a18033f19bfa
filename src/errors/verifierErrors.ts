import { BaseError } from "./BaseError.ts";

/** A thread of a bulk verification stopped before it gave every result: no verdict is given for any credential. */
export class VerificationWorkerError extends BaseError {
  override name = "VerificationWorkerError";
}
