import { BaseError } from "./BaseError.ts";

/** A file could not be written safely (its temporary file could not be created exclusively beside it). */
export class FileWriteError extends BaseError {
  override name = "FileWriteError";
}
