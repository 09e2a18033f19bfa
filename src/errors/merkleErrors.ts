import { BaseError } from "./BaseError.ts";

/** A Merkle input (hash, index, batch) is malformed: the caller's mistake. */
export class InvalidMerkleInputError extends BaseError {
  override name = "InvalidMerkleInputError";
}
