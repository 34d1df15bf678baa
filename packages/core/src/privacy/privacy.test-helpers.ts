import fc from 'fast-check';
import { ibanRemainder } from './iban.js';
import { ibanCountry, ibanCountryCodes } from './iban-registry.js';

/** Example IBANs published in the SWIFT IBAN registry (sample accounts, nobody's data). */
export const REGISTRY_EXAMPLE_IBANS = [
  'DE89370400440532013000',
  'GB29NWBK60161331926819',
  'FR1420041010050500013M02606',
  'NL91ABNA0417164300',
  'IT60X0542811101000000123456',
  'MT84MALT011000012345MTLCAST001S',
  'BR1800360305000010009795493C1',
  'SC18SSCB11010000000000001497USD',
  'MU17BOMM0101101030300200000MUR',
  'QA58DOHB00001234567890ABCDEFG',
  'NO9386011117947',
  'LC55HEMM000100010012001200023015',
  'RU0204452560040702810412345678901',
  'VA59001123000012345678',
  'CH9300762011623852957',
  'BE68539007547034',
  'ES9121000418450200051332',
  'AT611904300234573201',
  'PL61109010140000071219812874',
];

/** Appends the Luhn check digit to `body` (ASCII digits). */
export function withLuhnDigit(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index++) {
    let value = Number(body[body.length - 1 - index]);
    if (index % 2 === 0) value *= 2;
    sum += value > 9 ? value - 9 : value;
  }
  return body + String((10 - (sum % 10)) % 10);
}

/** A Luhn-valid card number of 13–19 digits that does not start with 0 (compact). */
export const validCardDigits = fc
  .tuple(
    fc.integer({ min: 1, max: 9 }),
    fc.integer({ min: 13, max: 19 }).chain((length) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length - 2, maxLength: length - 2 })),
  )
  .map(([head, rest]) => withLuhnDigit(`${head}${rest}`));

/** How a customer may write a card number: together, or in groups of four joined by one space or dash. */
export const writtenCard = fc.tuple(validCardDigits, fc.constantFrom('', ' ', '-', '\u00a0')).map(([digits, separator]) => ({
  digits,
  written: separator === '' ? digits : (digits.match(/.{1,4}/g) as string[]).join(separator),
}));

const KIND_UNITS: Record<string, string> = { n: '0123456789', a: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', c: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ' };

/** A valid IBAN of any registry country, generated from its BBAN structure (compact, upper case). */
export const validIban = fc.constantFrom(...ibanCountryCodes()).chain((code) => {
  const country = ibanCountry(code)!;
  return fc.tuple(...[...country.bban].map((kind) => fc.constantFrom(...(KIND_UNITS[kind] as string)))).map((characters) => {
    const bban = characters.join('');
    const check = 98 - ibanRemainder(`${code}00${bban}`);
    return `${code}${String(check).padStart(2, '0')}${bban}`;
  });
});

/** How a customer may write an IBAN: compact or in groups of four, upper or lower case. */
export const writtenIban = fc.tuple(validIban, fc.boolean(), fc.boolean()).map(([iban, spaced, lower]) => {
  const grouped = spaced ? (iban.match(/.{1,4}/g) as string[]).join(' ') : iban;
  return { iban, written: lower ? grouped.toLowerCase() : grouped };
});

/** Words of several languages and punctuation, without digits or `@`. */
export const wordsWithoutData = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'Hallo',
        'mein',
        'Internet',
        'geht',
        'nicht',
        'bonjour',
        'ça',
        'marche',
        'pas',
        'hola',
        'gracias',
        'こんにちは',
        'ネット',
        '不能',
        '上网',
        'مرحبا',
        'привет',
        'Grüße',
        'naïve',
        'œuvre',
        'ß',
        '😀',
        'e-mail',
        'at',
        'dot',
        'com',
      ),
      fc.constantFrom(' ', '  ', '\n', '\t', '.', ',', '!', '?', ':', ';', '-', '(', ')', '+', '*', '/', '€', '"', "'"),
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèüöäñç .,;:!?-+*()/\n') }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

/** Text mixing words, numbers of all kinds and personal data, for idempotence and robustness. */
export const messyText = fc
  .array(
    fc.oneof(
      wordsWithoutData,
      writtenCard.map((card) => card.written),
      writtenIban.map((iban) => iban.written),
      fc.constantFrom(
        '+49 30 1234567',
        '030 1234567',
        '(415) 555-0100',
        '06 12 34 56 78',
        'jane@example.com',
        '2024-07-01',
        '01.07.2024',
        '14:30',
        '1,234.50 €',
        '****1234',
        '***-***',
        '***@***',
        'DE****3000',
      ),
      fc.string({ unit: fc.constantFrom(...'0123456789 -./()+*@:,'), maxLength: 40 }),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));
