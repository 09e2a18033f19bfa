/** `["credentialSubject", "identifier", 0, "salt"]` as `$.credentialSubject.identifier[0].salt` (RFC 9535 style). */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((formatted, segment) => {
    if (typeof segment === "number") return `${formatted}[${segment}]`;
    const key = String(segment);
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${formatted}.${key}` : `${formatted}[${JSON.stringify(key)}]`;
  }, "$");
}
