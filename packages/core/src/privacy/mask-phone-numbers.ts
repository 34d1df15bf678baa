import { characterAt, characterBefore, digitValueAt, isUnspacedScriptCharacter, isWordCharacter, separatorClassAt, type SeparatorClass } from './characters.js';
import { findDigitGroups, type DigitGroup } from './digit-groups.js';
import { replaceSpans, type MaskSpan, type ScanMeter } from './mask-span.js';
import { isPhoneShape, type PhoneGroup } from './phone-shape.js';
import { selectWindows } from './select-windows.js';

/** What a phone number becomes: no digit of it is kept. */
export const PHONE_MASK = '***-***';

/** E.164 allows 15 digits; `00`, a `(0)` and a little slack on top. */
const MAX_PHONE_DIGITS = 18;
/** No shape has fewer (international numbers have at least 8). */
export const MIN_PHONE_DIGITS = 8;
const CONNECTORS = new Set(['-', '.', ',', ':']);
const NEVER_BEFORE = new Set(['*', '#', '@', '_', '/', '\\', '+', '$', '€', '£', '¥', '₹']);
const NEVER_AFTER = new Set(['*', '@', '_', '/', '\\', '%', '$', '€', '£', '¥', '₹']);

/**
 * Masks phone numbers in free text — international (`+49 30 1234567`, `+1 (415) 555-0100`,
 * `+49 (0)30 1234567`, `0049 30 1234567`) and common national formats (`030 1234567`,
 * `(030) 1234567`, `06 12 34 56 78`, `0151-1234567`, `(415) 555-0100`, `415-555-0100`,
 * `415.555.0100`) — as `***-***`. Dates (`2024-07-01`, `01.07.2024`), times, amounts
 * (`1,234.50 €`), postcodes, IP addresses, short numbers and the tails of earlier masks
 * (`****1234`) stay. National numbers without a trunk `0` outside North America
 * (`612 34 56 78` in Spain) are recognised only in international form. Linear in the length of
 * the text; never throws.
 *
 * @example maskPhoneNumbers('call me on +49 30 1234567 after 18:00') // 'call me on ***-*** after 18:00'
 */
export function maskPhoneNumbers(text: string): string {
  if (typeof text !== 'string') return text;
  return replaceSpans(text, findPhoneNumbers(text));
}

interface PhoneCandidateGroup extends DigitGroup {
  parenthesised: boolean;
}

/** The spans {@link maskPhoneNumbers} replaces, in order. */
export function findPhoneNumbers(text: string, meter: ScanMeter = { steps: 0 }): MaskSpan[] {
  const groups = findDigitGroups(text, meter) as PhoneCandidateGroup[];
  for (const group of groups) group.parenthesised = text[group.start - 1] === '(' && text[group.end] === ')';
  return selectWindows(groups, (first) => phoneEndsFrom(text, groups, first, meter), meter).map(({ first, last }) => ({
    start: spanStart(text, groups, first, last),
    end: (groups[last] as DigitGroup).end,
    replacement: PHONE_MASK,
  }));
}

/** Where a number starting at group `first` begins: at its `+` or its opening parenthesis. */
function spanStart(text: string, groups: readonly PhoneCandidateGroup[], first: number, last: number): number {
  const head = groups[first] as PhoneCandidateGroup;
  let start = head.parenthesised && last > first ? head.start - 1 : head.start;
  if (text[start - 1] === '+') start--;
  return start;
}

/** The indexes of the last groups of every phone number that starts at group `first`. */
function phoneEndsFrom(text: string, groups: readonly PhoneCandidateGroup[], first: number, meter: ScanMeter): number[] {
  const head = groups[first] as PhoneCandidateGroup;
  const international = text[(head.parenthesised ? head.start - 1 : head.start) - 1] === '+';
  const maxGroups = international || /^0\d/.test(head.digits) ? Infinity : /^(?:1|[2-9]\d\d)$/.test(head.digits) ? 4 : 0;
  if (maxGroups === 0 || !mayStartAt(text, spanStart(text, groups, first, first + 1))) return [];
  const window: PhoneGroup[] = [];
  const ends: number[] = [];
  let digits = '';
  for (let index = first; index < groups.length && window.length < maxGroups; index++) {
    meter.steps++;
    const group = groups[index] as PhoneCandidateGroup;
    const joinedBy = index === first ? null : joinBetween(text, groups[index - 1] as PhoneCandidateGroup, group);
    if (index > first && joinedBy === null) break;
    if (digits.length + group.digits.length > MAX_PHONE_DIGITS) break;
    digits += group.digits;
    window.push({ digits: group.digits, parenthesised: group.parenthesised, joinedBy });
    if (digits.length < MIN_PHONE_DIGITS || (group.parenthesised && index > first)) continue;
    meter.steps += window.length;
    if (mayEndAt(text, group.parenthesised ? group.end + 1 : group.end) && isPhoneShape(singleAware(window, head, index === first), digits, international))
      ends.push(index);
  }
  return ends;
}

/** A lone number in parentheses (`(0301234567)`) is a number inside brackets, not an area code. */
function singleAware(window: PhoneGroup[], head: PhoneCandidateGroup, single: boolean): PhoneGroup[] {
  if (!single || !head.parenthesised) return window;
  return [{ ...(window[0] as PhoneGroup), parenthesised: false }];
}

/** How two groups are joined: one separator, possibly around a parenthesis, or not at all (null). */
function joinBetween(text: string, before: PhoneCandidateGroup, after: PhoneCandidateGroup): SeparatorClass | 'none' | null {
  const from = before.parenthesised ? before.end + 1 : before.end;
  const to = after.parenthesised ? after.start - 1 : after.start;
  if (to === from) return before.parenthesised || after.parenthesised ? 'none' : null;
  return to - from === 1 ? separatorClassAt(text, from) : null;
}

function mayStartAt(text: string, start: number): boolean {
  const before = characterBefore(text, start);
  if (before === undefined) return true;
  if (isWordCharacter(before)) return isUnspacedScriptCharacter(before);
  if (NEVER_BEFORE.has(before)) return false;
  if (CONNECTORS.has(before)) return !(digitValueAt(text, start - 2) >= 0 || text[start - 2] === '*');
  return true;
}

function mayEndAt(text: string, end: number): boolean {
  const after = characterAt(text, end);
  if (after === undefined) return true;
  if (isWordCharacter(after)) return isUnspacedScriptCharacter(after);
  if (NEVER_AFTER.has(after)) return false;
  if (CONNECTORS.has(after)) return digitValueAt(text, end + 1) < 0;
  return true;
}
