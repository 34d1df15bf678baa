import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskValue } from './mask-value.js';

describe('maskValue', () => {
  it('P1 keeps only the last four characters of strings and numbers of eight or more', () => {
    expect(maskValue('4111 1111 1111 1111')).toBe('****1111');
    expect(maskValue('DE89370400440532013000')).toBe('****3000');
    expect(maskValue(12345678)).toBe('****5678');
    expect(maskValue(-1234567)).toBe('****4567');
    expect(maskValue(123456789012345678901234567890n)).toBe('****7890');
    expect(maskValue('  4111111111111111\n')).toBe('****1111');
    expect(maskValue('jane.doe@example.com')).toBe('****.com');
  });

  it('P1 shows nothing of short values, booleans, objects, null and sealed values', () => {
    for (const value of [
      '1234567',
      '',
      '   ',
      1234,
      0,
      true,
      false,
      null,
      undefined,
      { card: '4111111111111111' },
      ['4111111111111111'],
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Symbol('x'),
      () => 1,
    ]) {
      expect(maskValue(value)).toBe('****');
    }
    expect(maskValue(`tf1.0a1b2c3d.${'A'.repeat(16)}.${'A'.repeat(22)}.AAAA`)).toBe('****');
  });

  it('P1 never cuts a character in half', () => {
    expect(maskValue('secret 😀😀😀😀')).toBe('****😀😀😀😀');
    expect(maskValue('😀😀😀😀😀😀😀')).toBe('****');
  });

  it('P1 never reveals more than the last four characters of any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer(), fc.double(), fc.anything()), (value) => {
        const masked = maskValue(value);
        expect(masked.startsWith('****')).toBe(true);
        const shown = Array.from(masked.slice(4));
        expect(shown.length === 0 || shown.length === 4).toBe(true);
        if (shown.length === 4) {
          const text = typeof value === 'string' ? value.trim() : String(value);
          expect(text.endsWith(shown.join(''))).toBe(true);
          expect(Array.from(text).length).toBeGreaterThanOrEqual(8);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
