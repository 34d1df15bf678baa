import { secretVariants } from './secret-variants.js';

/** What a secret is replaced with. */
export const REDACTED = '***';

/** Secrets as adapters hold them: absent ones are skipped. */
export type SecretList = readonly (string | undefined | null)[];

const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi;
const SECRET_PARAMETER = /\b((?:api[_-]?)?key|password|passwd|pwd|token|access_token|secret)=([^&\s"']+)/gi;
const CREDENTIAL_HEADER = /\b((?:proxy-)?authorization|x-api-key|x-goog-api-key|api-key)(["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Token|ApiKey)\s+)?[^\s"',;]+/gi;

/**
 * Removes secrets from text meant for an error message, a log line or an event record
 * (DESIGN O4):
 *
 * - every secret in `secrets` (API keys, header values, passwords), in every encoding of
 *   {@link secretVariants} (percent-encoded, base64 also inside `Basic …`, JSON-escaped, …),
 *   is replaced by `***`; secrets shorter than 4 characters are ignored;
 * - the password of any URL with credentials (`scheme://user:password@host`) is replaced;
 * - `key=…`, `api_key=…`, `token=…`, `password=…` query or form parameters are replaced;
 * - the value of an `Authorization`, `X-API-Key` or `X-Goog-Api-Key` header echoed as
 *   `name: value` or `"name":"value"` is replaced.
 *
 * @example
 * ```ts
 * redactSecrets('401: header authorization=Bearer%20tok-123456 refused', ['Bearer tok-123456', 'tok-123456']);
 * // '401: header authorization=*** refused'
 * ```
 */
export function redactSecrets(text: string, secrets: SecretList = []): string {
  return secretScrubber(secrets)(text);
}

/**
 * Compiles `secrets` once into a function that scrubs a text as {@link redactSecrets} does:
 * for a caller that scrubs many texts (every field of an error chain).
 */
export function secretScrubber(secrets: SecretList): (text: string) => string {
  const variants = [...new Set(secrets.flatMap((secret) => (typeof secret === 'string' ? secretVariants(secret) : [])))].sort((a, b) => b.length - a.length);
  const literal = variants.length > 0 ? new RegExp(variants.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    if (typeof text !== 'string' || text === '') return text;
    let withoutLiterals = text;
    // Again until nothing changes: a replacement must not join two halves into a new occurrence.
    for (let pass = 0; literal && pass < 4; pass += 1) {
      const next = withoutLiterals.replace(literal, REDACTED);
      if (next === withoutLiterals) break;
      withoutLiterals = next;
    }
    return withoutLiterals
      .replace(URL_PASSWORD, `$1${REDACTED}@`)
      .replace(SECRET_PARAMETER, `$1=${REDACTED}`)
      .replace(CREDENTIAL_HEADER, (_match, name: string, separator: string, scheme: string | undefined) => `${name}${separator}${scheme ? `${scheme} ` : ''}${REDACTED}`);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
