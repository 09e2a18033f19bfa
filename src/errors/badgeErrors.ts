import { InvalidInputError } from "./issuerErrors.ts";

// Badge images and baked badges are always the caller's input (an issuer's image, a file given to `credreg verify`),
// so every error here is an InvalidInputError: `classifyError` reports it as `input` (exit 1, HTTP 400).

/** What is wrong with an image offered as a badge image: its type, its size, its bytes, its dimensions, or unsafe SVG content. */
export type BadgeImageProblem = "type" | "size" | "corrupt" | "dimensions" | "unsafe";

/** An image offered as a badge image (`checkBadgeImage`) cannot be used; `problem` says which check failed. */
export class InvalidBadgeImageError extends InvalidInputError {
  override name = "InvalidBadgeImageError";
  readonly problem: BadgeImageProblem;

  /** `shortMessage` says what is wrong, `fix` how to fix it; `cause` is the parser's error for a corrupt file. */
  constructor(problem: BadgeImageProblem, shortMessage: string, fix: string, cause?: unknown) {
    super(shortMessage, [fix]);
    this.problem = problem;
    if (cause !== undefined) this.cause = cause;
  }
}

/** A PNG datastream is broken: wrong signature, truncated, a chunk with a wrong CRC, chunks out of order. */
export class CorruptPngError extends InvalidInputError {
  override name = "CorruptPngError";
  /** Byte offset of the offending chunk (or of the end of the file when truncated); undefined for the signature. */
  readonly offset: number | undefined;

  constructor(problem: string, offset?: number) {
    super(`The PNG file is corrupt: ${problem}${offset === undefined ? "" : ` (at byte ${offset})`}.`, [
      "The file was damaged or truncated: export the image again from the original, or download it again.",
    ]);
    this.offset = offset;
  }
}

/** An SVG file is not well-formed XML, or its root element is not an SVG `<svg>` element. */
export class MalformedSvgError extends InvalidInputError {
  override name = "MalformedSvgError";
  /** 1-based line and column of the problem; undefined when it concerns the whole file. */
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(problem: string, position?: { line: number; column: number }) {
    super(`The SVG file is not well-formed: ${problem}${position === undefined ? "" : ` (line ${position.line}, column ${position.column})`}.`, [
      "Check it with an XML validator (for example `xmllint --noout badge.svg`), fix it, and save it as UTF-8.",
    ]);
    this.line = position?.line;
    this.column = position?.column;
  }
}

/** What is wrong with a baked badge: not a PNG or SVG, no credential, more than one, or one that cannot be read. */
export type BakedCredentialProblem = "format" | "missing" | "duplicate" | "unreadable";

/** No single credential can be extracted from a baked badge (`unbakeBadge`); `problem` says why. */
export class BakedCredentialError extends InvalidInputError {
  override name = "BakedCredentialError";
  readonly problem: BakedCredentialProblem;

  constructor(problem: BakedCredentialProblem, shortMessage: string, fix: string) {
    super(shortMessage, [fix]);
    this.problem = problem;
  }
}

/** A credential's text cannot be baked as given (empty, not well-formed Unicode, characters XML cannot hold). */
export class InvalidCredentialTextError extends InvalidInputError {
  override name = "InvalidCredentialTextError";

  constructor(problem: string) {
    super(`The credential text cannot be baked: ${problem}.`, ["Bake the credential's JSON exactly as serialized (JSON.stringify of the signed credential), or its compact JWS."]);
  }
}
