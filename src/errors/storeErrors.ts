import { BaseError } from "./BaseError.ts";

/** The issuer's store cannot be opened, is from a newer version, or is inconsistent. */
export class StoreError extends BaseError {
  override name = "StoreError";
}

/** Another live process holds the issuer's lock on this chain for longer than the wait allows. */
export class IssuerLockTimeoutError extends BaseError {
  override name = "IssuerLockTimeoutError";
  readonly file: string;
  readonly holderPid: number | undefined;

  constructor(parameters: { file: string; issuer: string; chainId: string; waitedMs: number; holderPid: number | undefined; holderSince: string | undefined }) {
    const holder = parameters.holderPid === undefined ? "Another credreg process" : `Another credreg process (pid ${parameters.holderPid}${parameters.holderSince ? `, since ${parameters.holderSince}` : ""})`;
    super(
      `${holder} is still issuing or changing statuses as ${parameters.issuer} on chain ${parameters.chainId} after ${Math.round(parameters.waitedMs / 100) / 10} s of waiting; let it finish (or stop it), then run the command again.`,
      { metaMessages: [`Lock file: ${parameters.file}`, "A lock left behind by a process that no longer runs is taken over without waiting."] },
    );
    this.file = parameters.file;
    this.holderPid = parameters.holderPid;
  }
}
