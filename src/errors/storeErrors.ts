import { BaseError } from "./BaseError.ts";

/** The issuer's store cannot be opened, is from a newer version, or is inconsistent. */
export class StoreError extends BaseError {
  override name = "StoreError";
}
