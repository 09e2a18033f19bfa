/** Anything that looks like a URL (scheme://...), up to a quote, a backslash, a space or a closing bracket. */
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'\\<>()[\]{}]+/gi;

/**
 * `text` without `secrets` (each occurrence replaced by "[redacted]") and, unless `keepUrls`, without any URL
 * ("[redacted URL]"). Safe inside JSON text: nothing it removes or inserts is a quote or a backslash.
 */
export function redactSecrets(text: string, secrets: readonly string[], options: { keepUrls?: boolean } = {}): string {
  let redacted = text;
  for (const secret of secrets) if (redacted.includes(secret)) redacted = redacted.replaceAll(secret, "[redacted]");
  return options.keepUrls === true ? redacted : redacted.replace(URL_PATTERN, "[redacted URL]");
}
