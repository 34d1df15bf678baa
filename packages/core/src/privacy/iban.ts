import { ibanCountry } from './iban-registry.js';

/**
 * True when `value` is a valid IBAN: a country of the SWIFT IBAN registry, that country's
 * length and BBAN structure (digits and letters where the registry puts them), and the
 * ISO 7064 mod-97 check. Spaces are ignored and letters may be lower case, as customers type
 * them (`de89 3704 0044 0532 0130 00`). Never throws.
 *
 * @example isIbanValid('DE89 3704 0044 0532 0130 00') // true
 */
export function isIbanValid(value: string): boolean {
  if (typeof value !== 'string' || value.length > 80) return false;
  const compact = value.replace(/ /g, '').toUpperCase();
  const country = ibanCountry(compact.slice(0, 2));
  if (country === undefined || compact.length !== country.length) return false;
  if (!/^\d\d$/.test(compact.slice(2, 4))) return false;
  for (let index = 0; index < country.bban.length; index++) {
    if (!fitsKind(compact.charCodeAt(index + 4), country.bban[index] as string)) return false;
  }
  return ibanRemainder(compact) === 1;
}

function fitsKind(code: number, kind: string): boolean {
  const digit = code >= 0x30 && code <= 0x39;
  const letter = code >= 0x41 && code <= 0x5a;
  return kind === 'n' ? digit : kind === 'a' ? letter : digit || letter;
}

/** The mod-97 remainder of an upper-case alphanumeric IBAN (1 for a valid one). */
export function ibanRemainder(compact: string): number {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let index = 0; index < rearranged.length; index++) {
    const code = rearranged.charCodeAt(index);
    const value = code <= 0x39 ? code - 0x30 : code - 0x41 + 10;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder;
}
