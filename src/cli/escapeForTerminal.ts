/**
 * Characters a terminal may act on instead of printing: C0 controls (ESC starts colour, cursor and "hide text"
 * sequences), DEL, C1 controls (U+009B is a one-character CSI), bidirectional overrides and isolates (they reorder
 * what is shown), line and paragraph separators, and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_KEEPING_NEWLINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const visible = (char: string) => {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * `text` safe to write to a terminal: every control, bidi or separator character is shown escaped (`\x1b`,
 * `\u202e`) instead of acting. Text from a credential (names, achievements, file names, messages quoting them) goes
 * through this before it is printed; with `keepNewlines`, `\n` is kept (for our own multi-line messages).
 */
export function escapeForTerminal(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNSAFE_KEEPING_NEWLINES : UNSAFE, visible);
}

/**
 * JSON text with the characters that JSON.stringify leaves raw but a terminal may act on (DEL, C1 controls, bidi
 * controls, separators) written as `\uXXXX` escapes: the same JSON value, safe to print.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
