/**
 * The parts of a JSON-RPC URL that may be a provider's API key, longest first: the URL itself, its host, the password,
 * each path segment and query value of 10 characters or more (raw and percent-decoded). What
 * redactSecrets removes from anything that leaves the server (responses, logs).
 */
export function rpcUrlSecrets(url: string): string[] {
  const secrets = new Set<string>([url]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  secrets.add(parsed.href);
  const addWithDecoded = (piece: string) => {
    secrets.add(piece);
    try {
      secrets.add(decodeURIComponent(piece));
    } catch {
      // Not percent-encoded text: the raw piece is enough.
    }
  };
  // The host too: a message like "connect ECONNREFUSED host:port" names the endpoint without its scheme.
  if (parsed.host.length >= 4) secrets.add(parsed.host);
  // Basic auth: the password (a user name is no secret, and a short one would be found in any text).
  if (parsed.password.length >= 4) addWithDecoded(parsed.password);
  const pieces = [...parsed.pathname.split("/"), ...[...parsed.searchParams.values()], ...parsed.search.slice(1).split("&").map((pair) => pair.split("=").slice(1).join("="))];
  for (const piece of pieces) if (piece.length >= 10) addWithDecoded(piece);
  return [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}
