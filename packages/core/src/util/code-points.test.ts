import { describe, expect, it } from 'vitest';
import { codePointLength } from './code-points.js';

describe('codePointLength', () => {
  it('counts code points as Array.from does, lone surrogates as one each', () => {
    for (const text of ['', 'abc', '😀', 'a😀b😀', '\uD800', '\uDC00\uD800', '\uD83D\uD83D\uDE00', 'é', 'x'.repeat(10)])
      expect(codePointLength(text)).toBe(Array.from(text).length);
  });
});
