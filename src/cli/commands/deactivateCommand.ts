import { describeReason } from "../../chain/reasonCodes.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { parseReason } from "../../issuer/changeStatuses.ts";
import { print } from "../cliOutput.ts";
import { governanceSend } from "../governanceSend.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";
import { requireAddress } from "../requireAddress.ts";

/** `credreg deactivate <address> --reason <code|name>`: deactivates an issuer (an accreditor's key). */
export async function deactivateCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { reason: { type: "string" } });
  const output = { json: values.json === true };
  const issuer = requireAddress(positionals[0], "The issuer to deactivate");
  const reason = parseReason(str(values.reason));
  const result = await governanceSend(resolveConfig(values), "deactivate", "deactivateIssuer", [issuer, reason]);
  print(output, { ...result, issuer, reason, reasonName: describeReason(reason).name }, [`Deactivated ${issuer} (${describeReason(reason).name}) in transaction ${result.transactionHash}.`]);
}
