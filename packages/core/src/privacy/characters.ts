// Character classes shared by the detectors. Everything works on single UTF-16 code units
// or single code points: no regular expression ever runs over a whole message, so no input
// can make a detector backtrack.

/** First code point of each supported run of decimal digits 0–9 (customers type all of them). */
const DIGIT_ZEROS = [
  0x30, // ASCII
  0x660, // Arabic-Indic
  0x6f0, // Extended Arabic-Indic (Persian, Urdu)
  0x966, // Devanagari
  0x9e6, // Bengali
  0xe50, // Thai
  0xff10, // Fullwidth (Chinese, Japanese, Korean input methods)
];

/** The value 0–9 of the digit at `index`, or -1 when it is not a decimal digit. */
export function digitValueAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 0x660) return code >= 0x30 && code <= 0x39 ? code - 0x30 : -1;
  for (const zero of DIGIT_ZEROS) {
    if (code >= zero && code <= zero + 9) return code - zero;
  }
  return -1;
}

/** How two groups of digits may be joined inside a number someone wrote. */
export type SeparatorClass = 'space' | 'dash' | 'dot' | 'slash';

/** The separator class of the character at `index`, or null. Tabs and line breaks are never separators. */
export function separatorClassAt(text: string, index: number): SeparatorClass | null {
  switch (text.charCodeAt(index)) {
    case 0x20: // space
    case 0xa0: // no-break space
    case 0x2007: // figure space
    case 0x2009: // thin space
    case 0x202f: // narrow no-break space (French thousands)
      return 'space';
    case 0x2d: // hyphen-minus
    case 0x2010: // hyphen
    case 0x2011: // non-breaking hyphen
    case 0x2012: // figure dash
    case 0x2013: // en dash
      return 'dash';
    case 0x2e:
      return 'dot';
    case 0x2f:
      return 'slash';
    default:
      return null;
  }
}

/** True for ASCII letters A–Z and a–z. */
export function isAsciiLetterAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index) | 0x20;
  return code >= 0x61 && code <= 0x7a;
}

/** True for ASCII digits 0–9. */
export function isAsciiDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0x30 && code <= 0x39;
}

const WORD_CHARACTER = /^[\p{L}\p{N}\p{M}]$/u;
const UNSPACED_SCRIPT =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;

/** The code point (as a string) that ends right before `index`, or undefined at the start. */
export function characterBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(index - 2, index);
  }
  return text[index - 1];
}

/** The code point (as a string) that starts at `index`, or undefined at the end. */
export function characterAt(text: string, index: number): string | undefined {
  if (index >= text.length) return undefined;
  const codePoint = text.codePointAt(index) as number;
  return String.fromCodePoint(codePoint);
}

/** Letters, digits and combining marks of any script. */
export function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && WORD_CHARACTER.test(character);
}

/**
 * A word character of a script that writes words next to numbers without a space
 * (Chinese, Japanese, Korean, Thai…): `电话030 1234567` still holds a phone number.
 */
export function isUnspacedScriptCharacter(character: string | undefined): boolean {
  return character !== undefined && UNSPACED_SCRIPT.test(character);
}
