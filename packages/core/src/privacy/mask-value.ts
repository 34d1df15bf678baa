import { isSealed } from './sealed-value.js';

/** The mask of a value too short, or of a kind, that must show nothing. */
export const VALUE_MASK = '****';

/**
 * The mask shown for the value of a `sensitive: true` slot (P1) in events, transcripts, logs,
 * `inspect` and prompts: `****` followed by the last four characters for a string or a number
 * of at least eight characters (`****1111` for a card number, `****4567` for a phone number),
 * `****` for anything shorter or of another kind (booleans, objects, null, a sealed value).
 * Surrounding whitespace does not count. Never reveals more than the last four characters
 * (code points, so an emoji is never cut in half); never throws.
 *
 * @example maskValue('4111 1111 1111 1111') // '****1111'
 * @example maskValue('1234') // '****'
 */
export function maskValue(value: unknown): string {
  let text: string | undefined;
  if (typeof value === 'string') text = isSealed(value) ? undefined : (value as string).trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint') text = value.toString();
  if (text === undefined) return VALUE_MASK;
  const characters = Array.from(text);
  if (characters.length < 8) return VALUE_MASK;
  return `${VALUE_MASK}${characters.slice(-4).join('')}`;
}
