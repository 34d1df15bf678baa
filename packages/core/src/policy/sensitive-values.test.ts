import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskValue } from '../privacy/mask-value.js';
import { holdsSensitive, maskJson, maskText, namesSensitive, sensitiveValue } from './sensitive-values.js';

/** Values as hostile as customers type them: regex metacharacters, backslashes, astral characters, separators. */
const hostileValue = fc
  .array(
    fc.oneof(
      // `$&`, `$'`, `` $` `` and `$$` are replacement patterns: a mask ends with the value's last characters.
      fc.constantFrom('.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\', '/', '-', ' ', '𝒳', 'é', '$&', "$'", '$`', '$$'),
      fc.string({ minLength: 1, maxLength: 3 }),
    ),
    {
      minLength: 4,
      maxLength: 30,
    },
  )
  .map((parts) => parts.join(''))
  .filter((text) => text.replace(/[\s-]/gu, '').length >= 4);

describe('P1 sensitive values are masked however they travel', () => {
  it('P1 a value with any characters is masked in text that quotes it, never throws, and is found inside JSON', () => {
    fc.assert(
      fc.property(hostileValue, fc.string(), fc.string(), (value, before, after) => {
        // The engine's own mask: `****` and the value's last four characters.
        const secret = sensitiveValue(value, maskValue(value))!;
        const masked = maskText(`${before}${value}${after}`, [secret]);
        expect(masked.includes(value)).toBe(false);
        expect(holdsSensitive({ note: `${before}${value}` }, [secret])).toBe(true);
        expect(JSON.stringify(maskJson({ list: [value] }, [secret]))).not.toContain(JSON.stringify(value).slice(1, -1));
      }),
      { numRuns: 500 },
    );
  });

  it('P1 a short value (1–3 characters, any kind) anywhere whole in JSON is masked and detected; text around it is never changed', () => {
    const shortValue = fc.oneof(
      fc.string({ minLength: 1, maxLength: 3 }).filter((text) => text.trim().length > 0),
      fc.integer({ min: -99, max: 999 }),
    );
    fc.assert(
      fc.property(
        shortValue,
        fc.string({ minLength: 1 }).filter((text) => text.trim() !== ''),
        (value, text) => {
          const secret = sensitiveValue(value, '****')!;
          expect(secret.exactOnly).toBe(true);
          const call = { whole: value, nested: [{ deep: value }], text: `${text}${String(value)}${text}` };
          const masked = maskJson(call, [secret]) as typeof call;
          expect([masked.whole, masked.nested[0]!.deep]).toEqual(['****', '****']);
          expect(masked.text).toBe(call.text); // inside a longer text it is left alone (a text of only the value and spaces is the value)
          expect(holdsSensitive(call, [secret])).toBe(true);
          expect(namesSensitive(call, [secret])).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('P1 reshaped for a tool — upper case, spaced, dashed — a value is still masked', () => {
    const secret = sensitiveValue('4111111111111111', '****1111')!;
    expect(maskText('card 4111 1111 1111 1111 and 4111-1111-1111-1111', [secret])).toBe('card ****1111 and ****1111');
    const email = sensitiveValue('jane.doe@example.com', 'j***@***')!;
    expect(maskText('to JANE.DOE@EXAMPLE.COM', [email])).toBe('to j***@***');
  });

  it('P1 values under four characters are masked only where a whole string or number equals them (inside texts they would mangle ordinary words)', () => {
    const cvv = sensitiveValue('123', '***')!;
    expect(cvv.exactOnly).toBe(true);
    expect(maskText('card 4111, cvv 123, 123 Main St', [cvv])).toBe('card 4111, cvv 123, 123 Main St');
    expect(maskText(' 123 ', [cvv])).toBe('***');
    expect(maskJson({ cvv: '123', amount: 123, street: '123 Main St' }, [cvv])).toEqual({ cvv: '***', amount: '***', street: '123 Main St' });
    expect(namesSensitive({ quantity: 123 }, [cvv])).toBe(false);
    expect(sensitiveValue('  ', '***')).toBeNull();
    expect(sensitiveValue('ab-cd', '***')?.exactOnly).toBeUndefined();
  });
});
