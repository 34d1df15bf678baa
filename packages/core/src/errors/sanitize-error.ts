import { secretScrubber, type SecretList } from './redact.js';

/** Longest string kept in a sanitized error (a whole HTML error page is not a diagnostic). */
const MAX_TEXT_LENGTH = 4_096;
const MAX_DEPTH = 6;
const HANDLED = new Set(['message', 'stack', 'name', 'cause', 'errors']);

/**
 * Rebuilds an error and everything below it — `cause` chain, `errors` of an
 * `AggregateError`, errors kept in other properties — as plain `Error`s (an `AggregateError`
 * stays one) that hold no secret, for use as the `cause` of an error the adapter throws
 * (DESIGN O4):
 *
 * - `name`, `message`, `stack` and every string property (a response `body`, `url`, `code`)
 *   go through {@link redactSecrets} with `secrets`, then are cut at 4 KiB;
 * - numbers, booleans and bigints are kept (`status`, `errno`, `port`);
 * - any other object (request options, headers, sockets, responses) is dropped: it may hold a
 *   credential in a form no scrubber sees.
 *
 * The copy is not an instance of the original class: recognise it by `name` or `code`.
 * A value that is not an `Error` becomes an `Error` whose message describes it; `undefined`
 * and `null` give `undefined`.
 *
 * @example
 * ```ts
 * throw new LLMError({ kind, provider, message: redactSecrets(text, secrets), cause: sanitizeError(error, secrets) });
 * ```
 */
export function sanitizeError(error: unknown, secrets: SecretList): Error | undefined {
  const scrub = secretScrubber(secrets, { maxLength: MAX_TEXT_LENGTH });
  return copyError(error, scrub, new WeakSet(), 0);
}

function copyError(value: unknown, scrub: (text: string) => string, seen: WeakSet<object>, depth: number): Error | undefined {
  if (value === undefined || value === null || depth > MAX_DEPTH) return undefined;
  if (!(value instanceof Error)) return new Error(scrub(describe(value)));
  if (seen.has(value)) return undefined;
  seen.add(value);
  const errors = value instanceof AggregateError && Array.isArray(value.errors) ? value.errors : undefined;
  const copy = errors
    ? new AggregateError(errors.map((inner: unknown) => copyError(inner, scrub, seen, depth + 1)).filter(Boolean), scrub(String(value.message)))
    : new Error(scrub(String(value.message)));
  define(copy, 'name', scrub(String(read(value, 'name') ?? 'Error')));
  define(copy, 'stack', scrub(String(read(value, 'stack') ?? `${copy.name}: ${copy.message}`)));
  for (const key of Object.getOwnPropertyNames(value)) {
    if (HANDLED.has(key)) continue;
    const field = read(value, key);
    if (typeof field === 'string') define(copy, key, scrub(field));
    else if (typeof field === 'number' || typeof field === 'boolean' || typeof field === 'bigint') define(copy, key, field);
    else if (field instanceof Error) define(copy, key, copyError(field, scrub, seen, depth + 1));
  }
  const cause = copyError(read(value, 'cause'), scrub, seen, depth + 1);
  if (cause) define(copy, 'cause', cause);
  return copy;
}

/** A getter that throws (some SDK errors have them) must not turn sanitizing into a crash. */
function read(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: !['name', 'stack', 'cause'].includes(key), writable: true, configurable: true });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
