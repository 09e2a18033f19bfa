import { loadSigner } from "../../config/loadSigner.ts";
import { resolveConfig } from "../../config/resolveConfig.ts";
import { InvalidInputError } from "../../errors/issuerErrors.ts";
import { ApiKeyStore } from "../../store/ApiKeyStore.ts";
import { print } from "../cliOutput.ts";
import { parseCommandArgs, str } from "../parseCommandArgs.ts";

/** `credreg apikey create [--label <text>] | apikey revoke <prefix>`: API keys for the issuer routes (hashes in the store). */
export async function apikeyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(argv, { label: { type: "string" } });
  const output = { json: values.json === true };
  const config = resolveConfig(values);
  const keys = ApiKeyStore.open(config.store);
  try {
    if (positionals[0] === "create") {
      // Bound to the issuer whose key this invocation has: the server that acts for that issuer accepts it.
      const issuer = (await loadSigner(config.keystore)).address;
      const created = keys.create(issuer, str(values.label) ?? "");
      print(output, { key: created.key, prefix: created.prefix, issuer }, [`API key for ${issuer} (shown once, store it now): ${created.key}`, `Revoke it with: credreg apikey revoke ${created.prefix}`]);
    } else if (positionals[0] === "revoke" && positionals[1] !== undefined) {
      const revoked = keys.revoke(positionals[1]);
      if (!revoked) throw new InvalidInputError(`No live API key starts with ${positionals[1]}.`);
      print(output, { revoked: positionals[1] }, [`Revoked the API key ${positionals[1]}….`]);
    } else throw new InvalidInputError("Usage: credreg apikey create [--label <text>] | credreg apikey revoke <prefix>");
  } finally {
    keys.close();
  }
}
