import { BaseError } from "./BaseError.ts";

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
