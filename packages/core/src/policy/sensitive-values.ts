import type { TicketDoc } from '../model/ticket.js';
import type { SlotPrivacy } from './policy-context.js';

/** A clear value of a sensitive slot, with the mask that stands for it (P1). */
export interface SensitiveValue {
  text: string;
  mask: string;
  /** The value however an app reformats it: any case, spaces or dashes between its characters. */
  loose?: RegExp;
  /**
   * A short value (under four characters: a CVV, an amount of 30): searched for inside texts it
   * would mangle ordinary ones, so only a whole string or number equal to it is masked — a tool
   * input `{ cvv: '123' }` or `{ amount: 30 }`, a message that is just the value.
   */
  exactOnly?: true;
}

/**
 * The clear values of the ticket's sensitive slots (P1), longest first, as text: what must
 * never appear in a transcript, an event or a journaled tool call. Values shorter than four
 * characters are masked only where a whole string or number equals them (`exactOnly`): inside
 * longer texts, masking them would mangle ordinary text.
 */
export function sensitiveValuesOf(ticket: TicketDoc, privacy: SlotPrivacy | undefined): SensitiveValue[] {
  if (!privacy) return [];
  const values: SensitiveValue[] = [];
  for (const [name, slot] of Object.entries(ticket.slots)) {
    if (slot.sealed === undefined) continue;
    const value = sensitiveValue(privacy.open(ticket.id, name, slot), String(slot.value));
    if (value) values.push(value);
  }
  return values.sort((a, b) => b.text.length - a.text.length);
}

/** A clear value as text with its mask (`exactOnly` under four characters), or null when it is blank. */
export function sensitiveValue(clear: unknown, mask: string): SensitiveValue | null {
  const text = typeof clear === 'string' ? clear : typeof clear === 'number' ? String(clear) : JSON.stringify(clear);
  if (text === undefined || text.trim().length === 0) return null;
  return text.trim().length >= 4 ? { text, mask, loose: loosePattern(text) } : { text, mask, exactOnly: true };
}

/**
 * `text` with every sensitive value replaced by its mask — as given, and as an app may have
 * reshaped it for a tool or a reply (upper case, `4111 1111 …`, `DE89-3704-…`).
 */
export function maskText(text: string, values: readonly SensitiveValue[]): string {
  let masked = text;
  for (const value of values) {
    if (value.exactOnly) {
      if (masked.trim() === value.text.trim()) masked = value.mask;
      continue;
    }
    // The mask is inserted by a function, never as a replacement pattern: a mask ends with the
    // value's last characters, and `$&` (or `$'`, `` $` ``) there would write the value back in clear.
    const mask = () => value.mask;
    if (masked.includes(value.text)) masked = masked.replaceAll(value.text, mask);
    if (value.loose) masked = masked.replace(value.loose, mask);
  }
  return masked;
}

/** A pattern of the value's characters (separators dropped), any case, with optional spaces or dashes between them. */
function loosePattern(text: string): RegExp | undefined {
  const characters = [...text].filter((character) => !/[\s-]/u.test(character));
  if (characters.length < 4 || characters.length > 200) return undefined;
  return new RegExp(characters.map((character) => character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\s-]*'), 'giu');
}

/** A JSON value with every string masked (see {@link maskText}). */
export function maskJson(value: unknown, values: readonly SensitiveValue[]): unknown {
  if (values.length === 0) return value;
  if (typeof value === 'string') return maskText(value, values);
  if (typeof value === 'number')
    return values.some((secret) => secret.text === String(value)) ? values.find((secret) => secret.text === String(value))!.mask : value;
  if (Array.isArray(value)) return value.map((item) => maskJson(item, values));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskJson(item, values)]));
  return value;
}

/**
 * True when a JSON value names a sensitive value as a whole — a string with it as a word of its
 * own (not inside a longer run of letters or digits, however reshaped), or a number equal to
 * it — as when a model files the value under another slot. A value that merely contains the
 * characters (a phone number ending in a PIN's digits) does not count.
 */
export function namesSensitive(value: unknown, values: readonly SensitiveValue[]): boolean {
  // A short value (exactOnly) names nothing here: another slot equal to an amount of 30 is no leak worth refusing.
  const named = values.filter((secret) => !secret.exactOnly);
  if (named.length === 0) return false;
  if (typeof value === 'number') return named.some((secret) => secret.text === String(value));
  if (typeof value === 'string') return named.some((secret) => wordPattern(secret).test(value));
  if (Array.isArray(value)) return value.some((item) => namesSensitive(item, named));
  if (value !== null && typeof value === 'object') return Object.values(value).some((item) => namesSensitive(item, named));
  return false;
}

const wordPatterns = new WeakMap<SensitiveValue, RegExp>();

/** The value as a word of its own: no letter or digit right before or after it. */
function wordPattern(secret: SensitiveValue): RegExp {
  let pattern = wordPatterns.get(secret);
  if (!pattern) {
    const body = secret.loose ? secret.loose.source : secret.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'iu');
    wordPatterns.set(secret, pattern);
  }
  return pattern;
}

/** True when a JSON value holds a sensitive value anywhere. */
export function holdsSensitive(value: unknown, values: readonly SensitiveValue[]): boolean {
  return values.length > 0 && JSON.stringify(maskJson(value, values)) !== JSON.stringify(value);
}
