import { BaseError } from "./BaseError.ts";
import { InvalidInputError } from "./issuerErrors.ts";

/**
 * A portfolio could not be summarised because something that must hold did not: a credential the verifier found
 * valid could not be read back from the same bytes (a bug, never the candidate's doing). No summary is given.
 */
export class PortfolioInvariantError extends BaseError {
  override name = "PortfolioInvariantError";

  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details });
  }
}

/**
 * A ZIP archive of credentials that is not read: not a ZIP, damaged, encrypted, or past a limit (a ZIP bomb, or
 * more than one candidate's credentials). The whole archive is refused: nothing of it is verified.
 */
export class ZipArchiveError extends InvalidInputError {
  override name = "ZipArchiveError";
}
