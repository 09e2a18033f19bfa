import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Wallet } from "ethers";
import { InvalidConfigError } from "../errors/configErrors.ts";

/** Asks for a password on the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  const reader = createInterface({ input, output, terminal: true });
  const writeOriginal = (output as unknown as { write: (chunk: string) => boolean }).write.bind(output);
  let muted = false;
  (reader as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
    if (!muted) writeOriginal(text);
  };
  return new Promise((resolve) => {
    reader.question(question, (answer) => {
      reader.close();
      writeOriginal("\n");
      resolve(answer);
    });
    muted = true;
  });
}

/**
 * The signer, from CREDREG_PRIVATE_KEY, or else from the encrypted JSON keystore `keystore` with its password from
 * CREDREG_KEYSTORE_PASSWORD or a hidden prompt (only on a terminal). Never from a command-line argument; the key is
 * never printed, logged or put in an error.
 */
export async function loadSigner(keystore: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Wallet> {
  const privateKey = env.CREDREG_PRIVATE_KEY?.trim();
  if (privateKey) {
    try {
      return new Wallet(privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`);
    } catch {
      throw new InvalidConfigError("CREDREG_PRIVATE_KEY", "is not a valid private key (its value is not shown)", "Set it to the 32-byte hex key of the issuer account, or use CREDREG_KEYSTORE.");
    }
  }
  if (keystore === undefined) {
    throw new InvalidConfigError("The signer", "is not configured", "Set CREDREG_PRIVATE_KEY, or CREDREG_KEYSTORE (or --keystore) with CREDREG_KEYSTORE_PASSWORD.");
  }
  let json: string;
  try {
    json = await readFile(keystore, "utf8");
  } catch {
    throw new InvalidConfigError("The keystore", `${keystore} cannot be read`, "Check the path given by CREDREG_KEYSTORE or --keystore.");
  }
  let password = env.CREDREG_KEYSTORE_PASSWORD;
  if (password === undefined) {
    if (!process.stdin.isTTY) {
      throw new InvalidConfigError("CREDREG_KEYSTORE_PASSWORD", "is not set and there is no terminal to ask for it", "Set CREDREG_KEYSTORE_PASSWORD in the environment of non-interactive runs.");
    }
    password = await promptHidden(`Password for ${keystore}: `);
  }
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return new Wallet(wallet.privateKey);
  } catch {
    throw new InvalidConfigError("The keystore", `${keystore} could not be decrypted`, "Check the password (CREDREG_KEYSTORE_PASSWORD) and that the file is an ethers/geth JSON keystore.");
  }
}
