import { resolveVerifierTrust } from "../../config/resolveVerifierTrust.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { print, progressBar } from "../cliOutput.ts";
import { formatVerification } from "../formatVerification.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { runVerify } from "../verifyCommand.ts";

/**
 * `credreg verify <file|dir|->...`: verifies against what the verifier trusts (flags, environment, the user's trust
 * file; never a project config file), prints the results and sets the exit code: 0 all valid, 1 any invalid, 2 could
 * not verify.
 */
export async function verifyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { at: { type: "string" }, recipient: { type: "string" }, "trusted-issuers": { type: "string" }, verbose: { type: "boolean" } });
  if (values.config !== undefined) {
    throw new InvalidInputError("verify reads no project config file (--config).", ["Give the registry you trust with --registry, or list it in your user-level trust file (docs/verifier.md)."]);
  }
  const output = { json: values.json === true };
  const bar = progressBar(output);
  const { results, summary, trust } = await runVerify({
    paths: positionals,
    at: str(values.at),
    recipient: str(values.recipient),
    trust: resolveVerifierTrust({ "rpc-url": str(values["rpc-url"]), registry: str(values.registry), confirmations: str(values.confirmations), "trusted-issuers": str(values["trusted-issuers"]) }),
    progress: bar === undefined ? undefined : (done, total) => bar("verifying", done, total),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  });
  print(output, { trust, summary, results }, formatVerification(results, summary, values.verbose === true || results.length <= 10, trust));
  process.exitCode = summary.error > 0 ? 2 : summary.invalid > 0 ? 1 : 0;
}
