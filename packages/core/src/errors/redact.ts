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
export function redactSecrets(text: string, secrets: SecretList = [], options: ScrubOptions = {}): string {
  return secretScrubber(secrets, options)(text);
}

/** Options of {@link redactSecrets} and {@link secretScrubber}. */
export interface ScrubOptions {
  /**
   * Cut the result to this many characters (then `…`), safely: the text is scrubbed before the
   * cut, so no secret is cut in half, and only the part that can reach the result is scrubbed,
   * so a 1 MB error page costs no more than its first `maxLength` characters.
   */
  maxLength?: number;
}

interface CompiledSecrets {
  literal: RegExp | undefined;
  longest: number;
}

/** Compiled secret lists, by content: adapters scrub with the same few lists again and again. */
const compiled = new Map<string, CompiledSecrets>();
const MAX_COMPILED = 64;
/** Room past a cut for the generic patterns (a URL's `user:password@`, an echoed header). */
const PATTERN_MARGIN = 256;

/**
 * Compiles `secrets` once into a function that scrubs a text as {@link redactSecrets} does:
 * for a caller that scrubs many texts (every field of an error chain).
 */
export function secretScrubber(secrets: SecretList, options: ScrubOptions = {}): (text: string) => string {
  const { literal, longest } = compile(secrets);
  const maxLength = options.maxLength;
  return (text) => {
    if (typeof text !== 'string' || text === '') return text;
    const window = maxLength !== undefined && text.length > maxLength ? text.slice(0, maxLength + longest + PATTERN_MARGIN) : text;
    const scrubbed = scrubPatterns(scrubLiterals(window, literal));
    return maxLength !== undefined && scrubbed.length > maxLength ? `${scrubbed.slice(0, maxLength)}…` : scrubbed;
  };
}

function compile(secrets: SecretList): CompiledSecrets {
  const strings = secrets.filter((secret): secret is string => typeof secret === 'string' && secret !== '');
  const key = strings.join('\u0000');
  const cached = compiled.get(key);
  if (cached) return cached;
  const variants = [...new Set(strings.flatMap((secret) => secretVariants(secret)))].sort((a, b) => b.length - a.length);
  const result = { literal: variants.length > 0 ? new RegExp(variants.map(escapeRegExp).join('|'), 'g') : undefined, longest: variants[0]?.length ?? 0 };
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, result);
  return result;
}

function scrubLiterals(text: string, literal: RegExp | undefined): string {
  let result = text;
  // Again until nothing changes: a replacement must not join two halves into a new occurrence.
  for (let pass = 0; literal && pass < 4; pass += 1) {
    const next = result.replace(literal, REDACTED);
    if (next === result) break;
    result = next;
  }
  return result;
}

function scrubPatterns(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(SECRET_PARAMETER, `$1=${REDACTED}`)
    .replace(
      CREDENTIAL_HEADER,
      (_match, name: string, separator: string, scheme: string | undefined) => `${name}${separator}${scheme ? `${scheme} ` : ''}${REDACTED}`,
    );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
