import { BaseError } from "../errors/BaseError.ts";

/** An HTTP error with the one error shape of the API: `{ error: { code, message, details } }`. */
export class ApiError extends BaseError {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly detailList: readonly unknown[];

  constructor(status: number, code: string, message: string, details: readonly unknown[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.detailList = details;
  }

  toJSON() {
    return { error: { code: this.code, message: this.shortMessage, details: this.detailList } };
  }
}
