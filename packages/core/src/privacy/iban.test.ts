import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIbanValid } from './iban.js';
import { ibanCountry, ibanCountryCodes } from './iban-registry.js';
import { REGISTRY_EXAMPLE_IBANS, validIban } from './privacy.test-helpers.js';

describe('isIbanValid', () => {
  it('P2 accepts the SWIFT registry examples, compact, grouped and in lower case', () => {
    for (const iban of REGISTRY_EXAMPLE_IBANS) {
      expect(isIbanValid(iban), iban).toBe(true);
      expect(isIbanValid((iban.match(/.{1,4}/g) as string[]).join(' ')), iban).toBe(true);
      expect(isIbanValid(iban.toLowerCase()), iban).toBe(true);
    }
  });

  it('P2 refuses a wrong check digit, a wrong length, an unknown country and a letter where the registry wants a digit', () => {
    expect(isIbanValid('DE88370400440532013000')).toBe(false);
    expect(isIbanValid('DE8937040044053201300')).toBe(false);
    expect(isIbanValid('DE893704004405320130000')).toBe(false);
    expect(isIbanValid('ZZ89370400440532013000')).toBe(false);
    expect(isIbanValid('GB29NWBK6016133192681A')).toBe(false);
    expect(isIbanValid('NL91ABN00417164300')).toBe(false);
    for (const value of ['', 'DE', '  ', 'DE89-3704-0044-0532-0130-00', undefined, 42] as unknown[]) expect(isIbanValid(value as string)).toBe(false);
  });

  it('P2 knows the length of every registry country', () => {
    expect(ibanCountryCodes().length).toBeGreaterThanOrEqual(89);
    expect(ibanCountry('DE')?.length).toBe(22);
    expect(ibanCountry('NO')?.length).toBe(15);
    expect(ibanCountry('RU')?.length).toBe(33);
    expect(ibanCountry('LC')?.length).toBe(32);
  });

  it('P2 accepts generated IBANs of every registry country and refuses them with two digits swapped', () => {
    fc.assert(
      fc.property(validIban, (iban) => {
        expect(isIbanValid(iban)).toBe(true);
        const digits = [...iban.matchAll(/\d/g)].map((match) => match.index).filter((index) => index >= 4);
        const first = digits.find((index, position) => digits[position + 1] === index + 1 && iban[index] !== iban[index + 1]);
        if (first === undefined) return;
        const swapped = iban.slice(0, first) + iban[first + 1] + iban[first] + iban.slice(first + 2);
        expect(isIbanValid(swapped)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
