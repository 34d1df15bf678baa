import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRedact, redactMeasured } from './default-redact.js';
import { maskCardNumbers } from './mask-card-numbers.js';
import { maskEmails } from './mask-emails.js';
import { maskIbans } from './mask-ibans.js';
import type { ScanMeter } from './mask-span.js';
import { maskPhoneNumbers } from './mask-phone-numbers.js';
import { messyText, wordsWithoutData, writtenCard, writtenIban } from './privacy.test-helpers.js';

describe('defaultRedact', () => {
  it('P2 masks a card, an IBAN, an e-mail address and a phone number in one message', () => {
    const message = 'Hi, I am jane.doe@example.com, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, call +49 30 1234567.';
    expect(defaultRedact(message)).toBe('Hi, I am ***@***, card ****1111, IBAN DE****3000, call ***-***.');
  });

  it('P2 masks personal data across line breaks and languages, leaving the rest as it was', () => {
    const message = 'Bonjour,\nmon numéro : 06 12 34 56 78\nmon e-mail : marie@exemple.fr\nMerci !\n\nDatum: 01.07.2024, Betrag 1.234,50 €, PLZ 10115';
    expect(defaultRedact(message)).toBe('Bonjour,\nmon numéro : ***-***\nmon e-mail : ***@***\nMerci !\n\nDatum: 01.07.2024, Betrag 1.234,50 €, PLZ 10115');
  });

  it('P2 leaves text without personal data unchanged (the same string)', () => {
    for (const text of [
      '',
      'My internet has been down since 2024-07-01 at 14:30.',
      'Order 1234 5678 9012 3456 cost 1,234.50 €',
      'Router model 7590, firmware v7.57',
      'Paris 75001, Berlin 10115',
    ]) {
      expect(defaultRedact(text)).toBe(text);
    }
    fc.assert(
      fc.property(wordsWithoutData, (text) => {
        expect(defaultRedact(text)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('P2 leaves generated dates, times, amounts, postcodes and short numbers unchanged', () => {
    const two = (max: number) => fc.integer({ min: 1, max }).map((value) => String(value).padStart(2, '0'));
    const year = fc.integer({ min: 1990, max: 2099 }).map(String);
    const token = fc.oneof(
      fc.tuple(year, two(12), two(28)).map(([y, m, d]) => `${y}-${m}-${d}`),
      fc.tuple(two(28), two(12), year, fc.constantFrom('.', '/', '-')).map(([d, m, y, separator]) => [d, m, y].join(separator)),
      fc.tuple(two(23), two(59)).map(([h, m]) => `${h}:${m}`),
      fc
        .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }))
        .map(([a, b, c]) => `${a},${String(b).padStart(3, '0')}.${String(c).padStart(2, '0')} €`),
      fc
        .tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }))
        .map(([a, b, c]) => `${a}.${String(b).padStart(3, '0')},${String(c).padStart(2, '0')} €`),
      fc.integer({ min: 1000, max: 99999 }).map((code) => `${code} Berlin`),
      fc.integer({ min: 0, max: 9_999_999 }).map(String),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(token, fc.constantFrom(' at ', ', ', ' on ', ' and ', '\n', '; ')), { maxLength: 8 }), (parts) => {
        const text = parts.map(([value, separator]) => value + separator).join('');
        expect(defaultRedact(text)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('P2 always masks generated valid cards and IBANs in a sentence: neither the written nor the compact form survives', () => {
    fc.assert(
      fc.property(wordsWithoutData, writtenCard, writtenIban, wordsWithoutData, (before, card, iban, after) => {
        const redacted = defaultRedact(`${before} ${card.written} and ${iban.written} ${after}`);
        for (const secret of [card.written, card.digits, iban.written, iban.iban, iban.iban.toLowerCase()]) expect(redacted).not.toContain(secret);
        expect(redacted).toContain(`****${card.digits.slice(-4)}`);
        expect(redacted.toUpperCase()).toContain(`${iban.iban.slice(0, 2)}****${iban.iban.slice(-4)}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('P2 masks what every detector run in turn masks: skipping the scans a text cannot need changes nothing', () => {
    const everyDetector = (text: string) => maskPhoneNumbers(maskCardNumbers(maskIbans(maskEmails(text))));
    const fewDigits = fc.stringMatching(/^[a-z @.+()\-\u0660-\u0669\uff10-\uff19 0-9]{0,40}$/);
    fc.assert(
      fc.property(fc.oneof(messyText, fewDigits, fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        expect(defaultRedact(text)).toBe(everyDetector(text));
      }),
      { numRuns: 2000 },
    );
    // Right at each detector's threshold: 2 digits (an IBAN's), 8 (a phone number's), 13 (a card's).
    for (const text of ['GB82 WEST 1234 5698 7654 32', 'call 030 1234567 now', '+49 30 1234567', '4111 1111 1111 1111', 'IBAN NO93 8601 1117 947']) {
      expect(defaultRedact(text)).toBe(everyDetector(text));
      expect(defaultRedact(text)).not.toBe(text);
    }
  });

  it('P2 scans a text without an @ and without digits once, whatever its length', () => {
    const meter: ScanMeter = { steps: 0 };
    const text = 'Fiber or mobile? '.repeat(100);
    expect(redactMeasured(text, meter)).toBe(text);
    expect(meter.steps).toBe(text.length);
  });

  it('P2 is idempotent on messy text', () => {
    fc.assert(
      fc.property(messyText, (text) => {
        const once = defaultRedact(text);
        expect(defaultRedact(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('P2 never throws, whatever the text, and returns what is not a string unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(typeof defaultRedact(text)).toBe('string');
      }),
      { numRuns: 1000 },
    );
    for (const value of [undefined, null, 42, { text: 'a@b.com' }]) expect(defaultRedact(value as unknown as string)).toBe(value);
    expect(defaultRedact('\ud800 4111111111111111 \udfff')).toBe('\ud800 ****1111 \udfff');
  });
});

/** Hostile inputs: long runs that would make a backtracking pattern or a quadratic scan explode. */
const HOSTILE_UNITS = [
  '1 ',
  '0 ',
  '4111 ',
  '1',
  '1-',
  '1.',
  '0-1 ',
  '+1 ',
  '(1) ',
  '(0)1 ',
  '00 ',
  '01 23 ',
  'a@',
  'a.',
  '@a.',
  'a@a.',
  'DE89 ',
  'DE89',
  'de',
  '*1 ',
  '1 *',
  '+49 (0)30 ',
  '٤١ ',
  '１ ',
];

function stepsFor(text: string): number {
  const meter: ScanMeter = { steps: 0 };
  redactMeasured(text, meter);
  return meter.steps;
}

// The timeouts only guard against a hang on a loaded machine: the checks count steps.
describe('defaultRedact cost', { timeout: 120_000 }, () => {
  it('P2 does work linear in the length of hostile input (steps counted, no clock)', () => {
    for (const unit of HOSTILE_UNITS) {
      const small = unit.repeat(Math.ceil(4_000 / unit.length));
      const large = unit.repeat(Math.ceil(40_000 / unit.length));
      const smallSteps = stepsFor(small);
      const largeSteps = stepsFor(large);
      expect(largeSteps / smallSteps, JSON.stringify(unit)).toBeLessThan(12);
      expect(largeSteps / large.length, JSON.stringify(unit)).toBeLessThan(400);
    }
  });

  it('P2 does work linear in the length of random digit-heavy text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -./()+*@aD'), minLength: 50, maxLength: 200 }), (unit) => {
        const large = unit.repeat(Math.ceil(20_000 / unit.length));
        expect(stepsFor(large) / large.length).toBeLessThan(400);
      }),
      { numRuns: 25 },
    );
  });

  it('P2 completes 100,000-character messages of the most expensive kinds', () => {
    for (const unit of ['1 ', '１ ', '0-1 ', '(0)1 ']) expect(defaultRedact(unit.repeat(100_000 / unit.length)).length).toBeGreaterThan(0);
    const message = `${'4111 1111 1111 1111 +49 30 1234567 jane@example.com DE89 3704 0044 0532 0130 00 2024-07-01 '.repeat(1_100)}`.slice(0, 100_000);
    const redacted = defaultRedact(message);
    expect(redacted).not.toContain('4111 1111 1111 1111');
    expect(redacted).not.toContain('jane@example.com');
  });
});
