import { BaseError } from "./BaseError.ts";

/** A configuration value (environment variable, flag, config file) is missing or malformed. */
export class InvalidConfigError extends BaseError {
  override name = "InvalidConfigError";
  readonly variable: string;

  constructor(variable: string, problem: string, fix: string) {
    super(`${variable} ${problem}.`, { metaMessages: [fix] });
    this.variable = variable;
  }
}
