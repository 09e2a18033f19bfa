import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { print } from "../cliOutput.ts";
import { governanceSend } from "../governanceSend.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { requireAddress } from "../requireAddress.ts";

/** `credreg accredit <address> --name <name> --profile-id <url-or-did>`: accredits an issuer (an accreditor's key). */
export async function accreditCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { name: { type: "string" }, "profile-id": { type: "string" } });
  const output = { json: values.json === true };
  const issuer = requireAddress(positionals[0], "The issuer to accredit");
  const name = str(values.name);
  const profileId = str(values["profile-id"]);
  if (!name || !profileId) throw new InvalidInputError("accredit needs --name and --profile-id.", ["Example: credreg accredit 0x… --name \"University of Example\" --profile-id https://example.edu/issuer"]);
  const result = await governanceSend(resolveConfig(values), "accredit", "accreditIssuer", [issuer, name, profileId]);
  print(output, { ...result, issuer, name, profileId }, [`Accredited ${issuer} as "${name}" (${profileId}) in transaction ${result.transactionHash} (block ${result.blockNumber}).`]);
}
