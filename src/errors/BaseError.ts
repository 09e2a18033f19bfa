export type BaseErrorParameters = {
  /** What went wrong in more depth (shown under the short message). */
  details?: string | undefined;
  /** Extra lines: what to do about it, the values involved. */
  metaMessages?: string[] | undefined;
  cause?: unknown;
};

/**
 * The root of every error this library throws: a short message that says what is wrong, then details and
 * what to do. `shortMessage` is stable and safe to show to users; `message` adds the rest.
 */
export class BaseError extends Error {
  override name = "CredregError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly metaMessages: string[] | undefined;

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.metaMessages?.length) lines.push("", ...parameters.metaMessages);
    if (parameters.details) lines.push("", `Details: ${parameters.details}`);
    super(lines.join("\n"), parameters.cause === undefined ? undefined : { cause: parameters.cause });
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.metaMessages = parameters.metaMessages;
  }
}
