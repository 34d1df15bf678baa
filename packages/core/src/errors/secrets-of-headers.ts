/**
 * The secrets in HTTP headers an adapter was configured with, for the scrubber (DESIGN O4):
 * every header value (a gateway may authenticate with any header), the credentials part of
 * `<scheme> <credentials>` (`Bearer <token>`, `Token <key>`), for `Basic` also the decoded
 * `user:password` and the password, and each cookie value of a `Cookie` header.
 * Accepts a plain object, a `Headers` instance or entry pairs; never throws.
 *
 * @example
 * ```ts
 * secretsOfHeaders({ authorization: 'Bearer gw-123456', 'x-tenant': 'acme' }); // ['Bearer gw-123456', 'gw-123456', 'acme']
 * ```
 */
export function secretsOfHeaders(headers: Record<string, string | undefined> | Headers | readonly (readonly [string, string])[] | undefined | null): string[] {
  if (!headers) return [];
  const entries: [string, unknown][] =
    typeof (headers as Headers).entries === 'function' && !Array.isArray(headers)
      ? [...(headers as Headers).entries()]
      : Array.isArray(headers)
        ? (headers as [string, string][])
        : Object.entries(headers);
  const secrets: string[] = [];
  for (const [name, value] of entries) {
    if (typeof value !== 'string') continue;
    secrets.push(value, value.trim());
    const scheme = /^\s*([A-Za-z][\w-]*)\s+(\S.*?)\s*$/.exec(value);
    if (scheme?.[2]) {
      secrets.push(scheme[2]);
      if (scheme[1]?.toLowerCase() === 'basic') secrets.push(...basicCredentials(scheme[2]));
    }
    if (name.toLowerCase() === 'cookie') {
      for (const pair of value.split(';')) secrets.push(pair.slice(pair.indexOf('=') + 1).trim());
    }
  }
  return [...new Set(secrets.filter((secret) => secret !== ''))];
}

function basicCredentials(encoded: string): string[] {
  if (!/^[A-Za-z0-9+/]+=*$/.test(encoded)) return [];
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? [decoded, decoded.slice(colon + 1)] : [decoded];
}
