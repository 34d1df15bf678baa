import { characterAt, characterBefore, isUnspacedScriptCharacter, isWordCharacter, type SeparatorClass } from './characters.js';
import { findDigitGroups, lastFourAsWritten, singleSeparatorBetween, type DigitGroup } from './digit-groups.js';
import { LuhnAccumulator } from './luhn.js';
import { replaceSpans, type MaskSpan, type ScanMeter } from './mask-span.js';
import { selectWindows } from './select-windows.js';

/** Fewest digits of a card number this detector masks. */
export const MIN_CARD_DIGITS = 13;
const MAX_CARD_DIGITS = 19;

/**
 * Masks payment card numbers in free text: 13–19 digits, written together or in groups joined
 * by one space or one dash (the same kind throughout), that pass the Luhn check and do not
 * start with 0. Each becomes `****` followed by its last four digits (`****1111`), which is
 * what PCI DSS allows to show. A 16-digit order number that fails the Luhn check stays.
 *
 * Digits glued to a word (`ref4111111111111111`) are part of an identifier and stay; in
 * scripts written without spaces (`卡号4111111111111111`) they are masked.
 * Where digits could be read several ways (`1234 4111 1111 1111 1111`), the choice that
 * masks the most digits wins. Digits right after `*` are read as the tail of an earlier mask
 * and digits right after `+` as a phone number, so masking twice changes nothing. Linear in
 * the length of the text; never throws.
 *
 * @example maskCardNumbers('card 4111 1111 1111 1111, thanks') // 'card ****1111, thanks'
 */
export function maskCardNumbers(text: string): string {
  if (typeof text !== 'string') return text;
  return replaceSpans(text, findCardNumbers(text));
}

/** The spans {@link maskCardNumbers} replaces, in order. */
export function findCardNumbers(text: string, meter: ScanMeter = { steps: 0 }): MaskSpan[] {
  const groups = findDigitGroups(text, meter);
  return selectWindows(groups, (first) => cardEndsFrom(text, groups, first, meter), meter).map(({ first, last }) => ({
    start: (groups[first] as DigitGroup).start,
    end: (groups[last] as DigitGroup).end,
    replacement: `****${lastFourAsWritten(text, groups, first, last)}`,
  }));
}

/** The indexes of the last groups of every card number that starts at group `first`. */
function cardEndsFrom(text: string, groups: readonly DigitGroup[], first: number, meter: ScanMeter): number[] {
  const start = groups[first] as DigitGroup;
  const before = characterBefore(text, start.start);
  if (before === '*' || before === '+' || isJoinedToWord(before) || start.digits.startsWith('0')) return [];
  const ends: number[] = [];
  const luhn = new LuhnAccumulator();
  let separator: SeparatorClass | null = null;
  for (let index = first; index < groups.length; index++) {
    meter.steps++;
    const group = groups[index] as DigitGroup;
    if (index > first) {
      const between = singleSeparatorBetween(text, groups[index - 1] as DigitGroup, group);
      if (between !== 'space' && between !== 'dash') break;
      if (separator !== null && between !== separator) break;
      separator = between;
    }
    if (luhn.digitCount + group.digits.length > MAX_CARD_DIGITS) break;
    luhn.append(group.digits);
    meter.steps += group.digits.length;
    if (luhn.digitCount >= MIN_CARD_DIGITS && luhn.isValid() && !isJoinedToWord(characterAt(text, group.end))) ends.push(index);
  }
  return ends;
}

/** A letter of a script written with spaces right next to the digits: part of an identifier, not a card. */
function isJoinedToWord(character: string | undefined): boolean {
  return isWordCharacter(character) && !isUnspacedScriptCharacter(character);
}
