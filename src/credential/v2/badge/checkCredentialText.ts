import { InvalidCredentialTextError } from "../../../errors/badgeErrors.ts";

/** Characters XML 1.0 cannot hold, not even as a character reference (its `Char` production). */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/u;

/**
 * Checks that a credential's text can be baked and read back unchanged: a non-blank, well-formed Unicode string
 * (UTF-8 cannot encode a lone surrogate) and, in an SVG, only characters XML 1.0 allows (JSON.stringify escapes
 * the control characters it forbids). Throws {@link InvalidCredentialTextError}.
 */
export function checkCredentialText(text: string, into: "png" | "svg"): void {
  if (typeof text !== "string") throw new InvalidCredentialTextError(`it must be a string (the credential's JSON or compact JWS), got ${text === null ? "null" : typeof text}`);
  if (text.trim() === "") throw new InvalidCredentialTextError("it is empty");
  if (!text.isWellFormed()) {
    throw new InvalidCredentialTextError(`it holds a lone surrogate at index ${loneSurrogateIndex(text)}, which UTF-8 cannot encode`);
  }
  if (into === "svg") {
    const match = NOT_XML_CHAR.exec(text);
    if (match) throw new InvalidCredentialTextError(`it holds U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} at index ${match.index}, a character XML cannot hold`);
  }
}

function loneSurrogateIndex(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
      else return index;
    } else if (code >= 0xdc00 && code <= 0xdfff) return index;
  }
  return -1;
}
