import { characterAt, characterBefore, isAsciiDigitAt, isAsciiLetterAt, isWordCharacter, separatorClassAt } from './characters.js';
import { isIbanValid } from './iban.js';
import { ibanCountry } from './iban-registry.js';
import { replaceSpans, type MaskSpan, type ScanMeter } from './mask-span.js';

/** Fewest ASCII digits an IBAN holds: its two check digits (a BBAN may be all letters). */
export const MIN_IBAN_DIGITS = 2;

/**
 * Masks IBANs in free text, compact (`DE89370400440532013000`) or in groups joined by single
 * spaces (`DE89 3704 0044 0532 0130 00`), upper or lower case. Only IBANs that pass
 * {@link isIbanValid} (registry country, length, BBAN structure, mod-97) are masked: each
 * becomes its country code, `****` and its last four characters — `DE****3000` — whatever its
 * length and grouping, so the mask reveals neither. Linear in the length of the text; never
 * throws.
 *
 * @example maskIbans('IBAN: DE89 3704 0044 0532 0130 00.') // 'IBAN: DE****3000.'
 */
export function maskIbans(text: string): string {
  if (typeof text !== 'string') return text;
  return replaceSpans(text, findIbans(text));
}

/** The spans {@link maskIbans} replaces, in order. */
export function findIbans(text: string, meter: ScanMeter = { steps: 0 }): MaskSpan[] {
  const spans: MaskSpan[] = [];
  for (let start = 0; start + 4 <= text.length; start++) {
    meter.steps++;
    if (!isAsciiLetterAt(text, start) || !isAsciiLetterAt(text, start + 1)) continue;
    if (!isAsciiDigitAt(text, start + 2) || !isAsciiDigitAt(text, start + 3)) continue;
    if (isWordCharacter(characterBefore(text, start))) continue;
    const end = ibanEnd(text, start, meter);
    if (end < 0) continue;
    const compact = text.slice(start, end).replace(/\s/g, '');
    spans.push({ start, end, replacement: `${text.slice(start, start + 2)}****${compact.slice(-4)}` });
    start = end - 1;
  }
  return spans;
}

/** Where the valid IBAN that starts at `start` ends, or -1. At most ~70 characters are read. */
function ibanEnd(text: string, start: number, meter: ScanMeter): number {
  const country = ibanCountry(text.slice(start, start + 2).toUpperCase());
  if (country === undefined) return -1;
  let compact = '';
  let index = start;
  let afterSeparator = false;
  while (index < text.length && compact.length < country.length) {
    meter.steps++;
    if (isAsciiLetterAt(text, index) || isAsciiDigitAt(text, index)) {
      compact += text[index];
      afterSeparator = false;
    } else if (separatorClassAt(text, index) === 'space' && !afterSeparator) {
      afterSeparator = true;
    } else {
      return -1;
    }
    index++;
  }
  if (compact.length !== country.length || isWordCharacter(characterAt(text, index))) return -1;
  return isIbanValid(compact) ? index : -1;
}
