import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, LuhnAccumulator } from './luhn.js';
import { validCardDigits } from './privacy.test-helpers.js';

describe('isLuhnValid', () => {
  it('P2 accepts the public test card numbers and refuses near misses', () => {
    for (const valid of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881', '79927398713']) {
      expect(isLuhnValid(valid), valid).toBe(true);
    }
    for (const invalid of ['4111111111111112', '1234567812345678', '79927398710', '', '0', '4111 1111 1111 1111', '４１１１', 'abc'] as const) {
      expect(isLuhnValid(invalid), invalid).toBe(false);
    }
  });

  it('P2 never throws on values that are not strings', () => {
    for (const value of [undefined, null, 42, {}, []]) expect(isLuhnValid(value as unknown as string)).toBe(false);
  });

  it('P2 detects every single-digit change of a valid number', () => {
    fc.assert(
      fc.property(validCardDigits, fc.nat(), fc.integer({ min: 1, max: 9 }), (digits, at, delta) => {
        const index = at % digits.length;
        const changed = digits.slice(0, index) + String((Number(digits[index]) + delta) % 10) + digits.slice(index + 1);
        expect(isLuhnValid(digits)).toBe(true);
        expect(isLuhnValid(changed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('P2 the accumulator agrees with isLuhnValid on every prefix, appended in any chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 5 }), { maxLength: 8 }), (chunks) => {
        const accumulator = new LuhnAccumulator();
        let digits = '';
        for (const chunk of chunks) {
          accumulator.append(chunk);
          digits += chunk;
          expect(accumulator.digitCount).toBe(digits.length);
          expect(accumulator.isValid()).toBe(isLuhnValid(digits));
        }
      }),
      { numRuns: 1000 },
    );
  });
});
