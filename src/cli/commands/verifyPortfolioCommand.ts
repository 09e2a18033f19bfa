import { resolveVerifierTrust } from "../../config/resolveVerifierTrust.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import type { PortfolioOptions } from "../../portfolio/summarisePortfolio.ts";
import { EMAIL_ADDRESS } from "../../portfolio/portfolioLimits.ts";
import { readPathwayFiles, verifyPortfolio } from "../../portfolio/verifyPortfolio.ts";
import type { VerifyAt } from "../../verifier/verificationTypes.ts";
import type { ShardItem } from "../../verifier/VerificationShard.ts";
import { type Output, print } from "../cliOutput.ts";
import { formatPortfolio } from "../formatPortfolio.ts";
import type { ParsedArgs } from "../parseCommandArgs.ts";
import { str } from "../parseCommandArgs.ts";
import type { RoundOptions } from "../startVerifyRound.ts";
import { runVerify, type VerifiedSource, type VerifySummary, type VerifyTrustReport } from "../verifyCommand.ts";

/**
 * The portfolio options of `credreg verify --portfolio`, checked: `--holder-name`, `--holder-email` and the pathway
 * files of `--pathways` (read and validated now, before any credential). `--recipient` and `--verbose` are plain
 * verify's: refused, with what to use instead.
 */
export async function portfolioOptionsOf(values: ParsedArgs["values"]): Promise<PortfolioOptions> {
  if (values.recipient !== undefined) {
    throw new InvalidInputError("--recipient is not for portfolios.", ["Give the candidate's address with --holder-email: a credential not issued to it is then listed as another holder's, not as not valid."]);
  }
  if (values.verbose !== undefined) throw new InvalidInputError("--verbose is not for portfolios.", ["Use --json for every detail of the portfolio, or credreg verify (no --portfolio) for every step of each credential."]);
  const holderName = str(values["holder-name"]);
  if (holderName !== undefined && (holderName.trim() === "" || holderName.length > 256)) throw new InvalidInputError("--holder-name must be the candidate's name (1 to 256 characters).", ["Example: --holder-name \"Ada Lovelace\""]);
  const holderEmail = str(values["holder-email"]);
  if (holderEmail !== undefined && (!EMAIL_ADDRESS.test(holderEmail.trim()) || holderEmail.length > 320)) throw new InvalidInputError(`--holder-email ${holderEmail} is not an e-mail address.`, ["Example: --holder-email ada@example.org"]);
  const pathwaysPath = str(values.pathways);
  return {
    ...(holderName === undefined ? {} : { holderName }),
    ...(holderEmail === undefined ? {} : { holderEmail }),
    ...(pathwaysPath === undefined ? {} : { pathways: await readPathwayFiles(pathwaysPath) }),
  };
}

/**
 * `credreg verify --portfolio <file|dir|->...`: every credential verified in bulk (the path `credreg verify` takes,
 * on every core; baked badges too), then the candidate's portfolio: skills, credits, EQF level, qualifications,
 * pathways, and the credentials set apart (other holders', not valid, not verified). Exit 0 once the portfolio is
 * made, whatever it lists; 1 for bad input, 2 when nothing can be verified (no trusted registry).
 */
export async function verifyPortfolioCommand(run: {
  readonly values: ParsedArgs["values"];
  readonly items: readonly ShardItem[];
  readonly round: RoundOptions;
  readonly at: VerifyAt | undefined;
  readonly options: PortfolioOptions;
  readonly output: Output;
}): Promise<void> {
  const { values } = run;
  const trust = resolveVerifierTrust({ "rpc-url": str(values["rpc-url"]), registry: str(values.registry), confirmations: str(values.confirmations), "trusted-issuers": str(values["trusted-issuers"]) });
  let verification: { summary: VerifySummary; trust: VerifyTrustReport } | undefined;
  const portfolio = await verifyPortfolio(
    run.items,
    async (loaded) => {
      const { results, summary, trust: report } = await runVerify({ ...run.round, items: loaded, at: run.at, trust });
      verification = { summary, trust: report };
      return results.map((result) => JSON.parse(result.json) as VerifiedSource);
    },
    run.options,
  );
  const { summary, trust: report } = verification!;
  print(run.output, { trust: report, verification: summary, portfolio }, formatPortfolio(portfolio, report));
  process.exitCode = 0;
}
