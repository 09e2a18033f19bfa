import { BaseError } from "./BaseError.ts";

/** One problem found in a document, with where it is. */
export type Problem = {
  /** JSON path of the offending value, e.g. `$.credentialSubject.achievement.eqfLevel`. */
  readonly path: string;
  readonly message: string;
};

/** A credential, an issuer's input or a batch file failed validation; `problems` lists every problem found. */
export class InvalidCredentialError extends BaseError {
  override name = "InvalidCredentialError";
  readonly problems: readonly Problem[];

  /** `total` counts every problem found, when only the first `problems` were kept. */
  constructor(what: string, problems: readonly Problem[], total = problems.length) {
    super(`${what} is not valid: ${total} problem${total === 1 ? "" : "s"}.`, {
      metaMessages: problems.slice(0, 50).map((problem) => `${problem.path}: ${problem.message}`),
      details: total > 50 ? `${total - 50} more problems not shown` : undefined,
    });
    this.problems = problems;
  }
}

/** A value cannot be put in RFC 8785 canonical form (NaN, Infinity, an unsafe integer, a lone surrogate, ...). */
export class NonCanonicalJsonError extends BaseError {
  override name = "NonCanonicalJsonError";
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`${path} cannot be canonicalized (RFC 8785): ${problem}.`, {
      metaMessages: ["Credentials must be plain I-JSON: finite numbers (integers within ±2^53−1), well-formed strings, plain objects and arrays."],
    });
    this.path = path;
  }
}

/** A batch file is malformed or does not reproduce its root. */
export class InvalidBatchFileError extends BaseError {
  override name = "InvalidBatchFileError";
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, problem: string) {
    super(`The batch file ${file}${line === undefined ? "" : ` (line ${line})`} is not valid: ${problem}.`, {
      metaMessages: ["A batch file is written once by the issuer pipeline; restore it from the issuer's store or backup."],
    });
    this.file = file;
    this.line = line;
  }
}

/** A JSON-LD document names a context or key that credreg neither ships nor computes (did:key): it is never fetched. */
export class ContextNotPackagedError extends BaseError {
  override name = "ContextNotPackagedError";
  readonly url: string;

  constructor(url: string) {
    super(`The credential refers to ${url}, which credreg neither ships nor computes; it is never fetched.`, {
      metaMessages: ["A credential may use only the W3C VC 2.0, Open Badges 3.0.3 and credreg v2 contexts, and Ed25519 did:key keys (docs/credential-format-v2.md)."],
    });
    this.url = url;
  }
}
