import { StoreError } from './store-error.js';
import { findUnstorableValue, isPlainlyStorable } from './unstorable-value.js';

/**
 * Serialises a document or an event for a store adapter, applying the one storage rule of
 * DESIGN §5 for values a backend cannot hold faithfully: NUL characters and lone UTF-16
 * surrogates (in keys or values) and values JSON cannot represent (BigInt, NaN, Infinity,
 * functions, symbols, cycles, `undefined` array items, Maps, Sets, Errors…) are refused
 * here, before any backend is touched, so every store behaves the same. `undefined` object
 * properties are left out and `toJSON` is honoured (a `Date` is stored as its ISO string),
 * as `JSON.stringify` does.
 *
 * @param what - what is encoded, for the message (`the ticket`, `event 2`).
 * @throws {StoreError} `invalid`, naming the JSON path of the first unstorable value
 * (never the value itself, which may be personal data).
 *
 * @example
 * ```ts
 * encodeStoredJson('my-store', { note: 'a\u0000b' }, 'the ticket');
 * // StoreError [my-store] the ticket cannot be stored: $.note holds a NUL character (U+0000) …
 * ```
 */
export function encodeStoredJson(adapter: string, value: unknown, what: string): string {
  return encodeStoredJsonOf(adapter, value, () => what);
}

/**
 * JSON escapes that may stand for a NUL or a lone surrogate in the text `JSON.stringify`
 * writes (it escapes both, lower case). Also matched by an escaped backslash followed by such
 * letters, which only costs the closer look.
 */
const SUSPECT_ESCAPE = /\\u0000|\\ud[89a-f]/;

/**
 * {@link encodeStoredJson} with the description computed only for the error. The common case
 * costs `JSON.stringify`, a scan of its text and an allocation-free type walk; the walk that
 * names the path of the problem runs only when one of those has a doubt.
 * @internal
 */
export function encodeStoredJsonOf(adapter: string, value: unknown, what: () => string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    refuseUnstorable(adapter, value, what);
    throw new StoreError({ kind: 'invalid', adapter, message: `${what()} is not JSON: ${(error as Error).message}`, cause: error });
  }
  if (text === undefined || (text.includes('\\u') && SUSPECT_ESCAPE.test(text)) || !isPlainlyStorable(value)) refuseUnstorable(adapter, value, what);
  if (text === undefined) throw new StoreError({ kind: 'invalid', adapter, message: `${what()} is not JSON` });
  return text;
}

function refuseUnstorable(adapter: string, value: unknown, what: () => string): void {
  const problem = findUnstorableValue(value);
  if (!problem) return;
  throw new StoreError({
    kind: 'invalid',
    adapter,
    message: `${what()} cannot be stored: ${problem.path} holds ${problem.reason}. Every ticketflow store refuses NUL characters, lone surrogates and values JSON cannot represent`,
  });
}

/**
 * Parses a stored JSON object (a ticket document, an event) read back by a store adapter.
 * @throws {StoreError} `corrupt` (not retryable) when the text is not JSON or not an object.
 */
export function decodeStoredObject<T extends object>(adapter: string, text: unknown, what: string): T {
  if (typeof text === 'object' && text !== null && !Array.isArray(text) && !Buffer.isBuffer(text)) return text as T;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.isBuffer(text) ? text.toString('utf8') : (text as string));
  } catch {
    // The parser's message quotes the stored text, which may be personal data: not kept.
    throw new StoreError({ kind: 'corrupt', adapter, retryable: false, message: `the stored ${what} is not valid JSON` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoreError({ kind: 'corrupt', adapter, retryable: false, message: `the stored ${what} is not a JSON object` });
  }
  return value as T;
}
