import { secretsOfHeaders } from './secrets-of-headers.js';
import { secretsOfUrl, stripUrlCredentials } from './secrets-of-url.js';

/** What an HTTP adapter sends, and what it must keep out of every error (see {@link httpCredentials}). */
export interface HttpCredentials {
  /** The base URL without userinfo (fetch refuses URLs with credentials). */
  url: string;
  /** The configured headers, plus `Authorization: Basic …` when the URL carried `user:password@`. */
  headers: Record<string, string>;
  /** Every credential, for `redactSecrets` / `sanitizeError`: the extra secrets, every header value, the URL's. */
  secrets: string[];
  /** Configuration problems, one sentence each, without the secrets (for a `ConfigurationError`). */
  issues: string[];
}

/**
 * Gathers the credentials an HTTP adapter was configured with — one mechanism for every
 * adapter (DESIGN O4): `user:password@` in the base URL becomes `Authorization: Basic …` (what
 * curl does; fetch refuses such a URL), and every secret — `secrets` (an API key), each header
 * value and its token part (`Bearer <token>`), the URL's userinfo and credential parameters —
 * is listed for the scrubber. A URL with userinfo *and* an `Authorization` header is a
 * configuration problem: two credentials for one request, neither silently dropped.
 *
 * @example
 * ```ts
 * const credentials = httpCredentials({ url: options.baseUrl, headers: options.headers, secrets: [options.apiKey] });
 * if (credentials.issues.length > 0) throw new ConfigurationError({ message: 'Invalid options', issues: credentials.issues });
 * // send to credentials.url with credentials.headers; scrub errors with credentials.secrets
 * ```
 */
export function httpCredentials(options: {
  url: string;
  headers?: Record<string, string> | undefined;
  secrets?: readonly (string | undefined | null)[];
  urlOption?: string;
}): HttpCredentials {
  const name = options.urlOption ?? 'baseUrl';
  const headers: Record<string, string> = { ...options.headers };
  const secrets = [...(options.secrets ?? []).filter((secret): secret is string => typeof secret === 'string' && secret !== ''), ...secretsOfUrl(options.url)];
  const issues: string[] = [];
  const stripped = stripUrlCredentials(options.url);
  let url = options.url;
  if (stripped?.authorization) {
    url = stripped.url;
    if (Object.keys(headers).some((header) => header.toLowerCase() === 'authorization')) {
      issues.push(`${name} carries user:password and headers carry an Authorization header: give one credential, not both`);
    } else {
      headers.Authorization = stripped.authorization;
    }
  }
  secrets.push(...secretsOfHeaders(headers));
  return { url, headers, secrets: [...new Set(secrets)], issues };
}
