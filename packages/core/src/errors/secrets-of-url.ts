/** Query parameters whose value is a credential in connection strings and API URLs. */
const SECRET_PARAMETERS = /^(?:(?:api[_-]?)?key|password|passwd|pwd|token|access_token|auth|secret|sig|signature|x-goog-api-key)$/i;

/**
 * The credentials a URL or connection string carries, for the scrubber (DESIGN O4): the
 * userinfo password (raw as written and percent-decoded), the user name when there is no
 * password (`https://<token>@host`), `user:password` (what `Basic` authorization encodes),
 * and the values of credential query parameters (`?password=…`, `?key=…`, `?token=…`).
 * A string without a scheme (`user:pw@localhost:11434`) is read as `http://…`; one that does
 * not parse is searched for `scheme://user:password@`. Never throws.
 *
 * @example
 * ```ts
 * secretsOfUrl('postgres://app:s3cr%40t@db:5432/app?sslpassword=x'); // ['s3cr%40t', 's3cr@t', 'app:s3cr@t']
 * ```
 */
export function secretsOfUrl(url: string | URL | undefined | null): string[] {
  if (url === undefined || url === null) return [];
  const text = String(url);
  const parsed = parseUrl(text);
  const secrets: string[] = [];
  if (parsed) {
    const user = decode(parsed.username);
    const password = decode(parsed.password);
    if (parsed.password !== '') secrets.push(parsed.password, password, `${user}:${password}`);
    else if (parsed.username !== '') secrets.push(parsed.username, user);
    for (const [name, value] of parsed.searchParams) {
      if (SECRET_PARAMETERS.test(name) && value !== '') secrets.push(value);
    }
  } else {
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*?:([^/@]*)@/i.exec(text)?.[1];
    if (password) secrets.push(password, decode(password));
  }
  return [...new Set(secrets.filter((secret) => secret !== ''))];
}

/**
 * Splits the credentials off a URL: fetch refuses a URL with userinfo, so an adapter given
 * `http://user:password@proxy:11434` sends `http://proxy:11434` with
 * `Authorization: Basic base64(user:password)` instead (what curl does). `url` is returned
 * without userinfo and unchanged otherwise; `authorization` is undefined without userinfo.
 * Returns `undefined` for a URL that does not parse.
 */
export function stripUrlCredentials(url: string): { url: string; authorization: string | undefined } | undefined {
  const hasScheme = url.includes('://');
  const parsed = parseUrl(url);
  if (!parsed) return undefined;
  if (parsed.username === '' && parsed.password === '') return { url, authorization: undefined };
  const credentials = `${decode(parsed.username)}:${decode(parsed.password)}`;
  const authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  parsed.username = '';
  parsed.password = '';
  let stripped = parsed.toString();
  if (!hasScheme) stripped = stripped.slice('http://'.length);
  if (!/\/$/.test(url.split(/[?#]/)[0] ?? '') && parsed.pathname === '/' && !parsed.search && !parsed.hash) stripped = stripped.replace(/\/$/, '');
  return { url: stripped, authorization };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text.includes('://') ? text : `http://${text}`);
  } catch {
    return undefined;
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
