import type { SeparatorClass } from './characters.js';

/** One digit group of a candidate phone number, with how it is joined to the group before. */
export interface PhoneGroup {
  digits: string;
  /** Written in parentheses: `(415)`, `(0)`, `(030)`. */
  parenthesised: boolean;
  /** The separator before this group (`none`: only a parenthesis), null for the first group. */
  joinedBy: SeparatorClass | 'none' | null;
}

/**
 * True when the groups, as written, have the shape of a phone number (`digits`: all their
 * digits, in order):
 *
 * - international: after `+` (or `00`), 8–15 digits not counting a `(0)`, exactly 11 for `+1`;
 * - national with a trunk prefix: `0` then a non-zero digit, 9–13 digits in groups of at least
 *   two (`030 1234567`, `06 12 34 56 78`, `(030) 1234567`), or 10–12 digits written together;
 * - North American: `(415) 555-0100`, `415-555-0100`, `415.555.0100`, `1-800-555-0199`.
 *
 * Separators are one kind throughout, except that spaces and dashes may mix (`030 12345-67`)
 * when no part reads as a date, and the separator after a country code or around a
 * parenthesis is free. This keeps dates (`2024-07-01`, `01.07.2024 10:30`), amounts, postcodes,
 * IP addresses and short numbers out.
 */
export function isPhoneShape(groups: readonly PhoneGroup[], digits: string, international: boolean): boolean {
  if (groups.length === 0 || !hasFittingTail(groups)) return false;
  if (international) return isInternationalShape(groups, digits);
  if (/^00[1-9]/.test(digits)) return isInternationalShape(groups, digits.slice(2));
  return isTrunkShape(groups, digits) || isNorthAmericanShape(groups);
}

function isInternationalShape(groups: readonly PhoneGroup[], digits: string): boolean {
  const parenthesis = parenthesisIndex(groups);
  if (parenthesis !== -1 && parenthesis !== 1) return false;
  const trunkZero = parenthesis === 1 && groups[1]?.digits === '0' ? 1 : 0;
  const count = digits.length - trunkZero;
  if (count < 8 || count > 15 || (digits.startsWith('1') && count !== 11)) return false;
  return separatorsFit(groups, 1);
}

function isTrunkShape(groups: readonly PhoneGroup[], digits: string): boolean {
  if (!/^0[1-9]/.test(digits)) return false;
  const parenthesis = parenthesisIndex(groups);
  if (parenthesis > 0 || parenthesis === -2) return false;
  if (groups.length === 1) return digits.length >= 10 && digits.length <= 12;
  if (digits.length < 9 || digits.length > 13) return false;
  const [head, ...rest] = groups as [PhoneGroup, ...PhoneGroup[]];
  if (head.digits.length < 2 || head.digits.length > 5) return false;
  return rest.every((group) => group.digits.length >= 2) && separatorsFit(groups, 0);
}

function isNorthAmericanShape(groups: readonly PhoneGroup[]): boolean {
  const countryCode = groups.length === 4 && groups[0]?.digits === '1' && !groups[0].parenthesised ? 1 : 0;
  const core = groups.slice(countryCode);
  if (core.length !== 3) return false;
  const [area, exchange, line] = core as [PhoneGroup, PhoneGroup, PhoneGroup];
  if (!/^[2-9]\d\d$/.test(area.digits) || !/^[2-9]\d\d$/.test(exchange.digits) || !/^\d{4}$/.test(line.digits)) return false;
  if (exchange.parenthesised || line.parenthesised) return false;
  return separatorsFit(groups, countryCode);
}

/** Index of the one parenthesised group, -1 when there is none, -2 when there are several. */
function parenthesisIndex(groups: readonly PhoneGroup[]): number {
  let found = -1;
  for (let index = 0; index < groups.length; index++) {
    if (!(groups[index] as PhoneGroup).parenthesised) continue;
    if (found >= 0) return -2;
    found = index;
  }
  return found;
}

/**
 * The separators between groups are one kind, or a mix of spaces and dashes with no date in
 * it. `freeAfter` groups at the start (a country code) may be followed by any separator, as
 * may a parenthesised group.
 */
function separatorsFit(groups: readonly PhoneGroup[], freeAfter: number): boolean {
  const kinds = new Set<SeparatorClass>();
  for (let index = 1; index < groups.length; index++) {
    const group = groups[index] as PhoneGroup;
    const previous = groups[index - 1] as PhoneGroup;
    if (index <= freeAfter || group.parenthesised || previous.parenthesised) continue;
    if (group.joinedBy !== null && group.joinedBy !== 'none') kinds.add(group.joinedBy);
  }
  if (kinds.size <= 1) return true;
  if (kinds.has('dot') || kinds.has('slash')) return false;
  return !containsDashedDate(groups);
}

/** `2024-07-01` or `01-07-2024` inside the groups. */
function containsDashedDate(groups: readonly PhoneGroup[]): boolean {
  for (let index = 2; index < groups.length; index++) {
    const [a, b, c] = [groups[index - 2], groups[index - 1], groups[index]] as [PhoneGroup, PhoneGroup, PhoneGroup];
    if (b.joinedBy !== 'dash' || c.joinedBy !== 'dash') continue;
    const [x, y, z] = [a.digits.length, b.digits.length, c.digits.length];
    if ((x <= 2 && y <= 2 && (z === 2 || z === 4)) || (x === 4 && y <= 2 && z <= 2)) return true;
  }
  return false;
}

/**
 * A short last group after a space belongs to the number only when the groups before it are
 * short too (`06 12 34 56 78`), not after a long one (`030 1234567 10 Uhr`: the 10 is a time).
 */
function hasFittingTail(groups: readonly PhoneGroup[]): boolean {
  if (groups.length < 2) return true;
  const last = groups[groups.length - 1] as PhoneGroup;
  const previous = groups[groups.length - 2] as PhoneGroup;
  return !(last.joinedBy === 'space' && last.digits.length < 3 && previous.digits.length > 3);
}
