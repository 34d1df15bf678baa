import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskCardNumbers } from './mask-card-numbers.js';
import { writtenCard } from './privacy.test-helpers.js';

describe('maskCardNumbers', () => {
  it('P2 masks a Luhn-valid card number written together, with spaces or with dashes, keeping the last four', () => {
    expect(maskCardNumbers('card 4111 1111 1111 1111, thanks')).toBe('card ****1111, thanks');
    expect(maskCardNumbers('4111-1111-1111-1111')).toBe('****1111');
    expect(maskCardNumbers('Nummer: 5555555555554444.')).toBe('Nummer: ****4444.');
    expect(maskCardNumbers('Amex 3782 822463 10005 ok')).toBe('Amex ****0005 ok');
    expect(maskCardNumbers('(4012888888881881)')).toBe('(****1881)');
    expect(maskCardNumbers('4111\u00a01111\u00a01111\u00a01111')).toBe('****1111');
  });

  it('P2 masks cards written with full-width or Arabic-Indic digits, and next to Chinese text', () => {
    expect(maskCardNumbers('卡号４１１１１１１１１１１１１１１１谢谢')).toBe('卡号****１１１１谢谢');
    expect(maskCardNumbers('٤١١١١١١١١١١١١١١١')).toBe('****١١١١');
  });

  it('P2 leaves a 16-digit order number that fails Luhn, short numbers and mixed separators alone', () => {
    for (const text of [
      'order 1234 5678 9012 3456',
      '4111 1111 1111 1112',
      'ref 4111111111111111x',
      'x4111111111111111',
      '0000 0000 0000 0000',
      '4111 1111-1111 1111',
      '4111  1111  1111  1111',
      'tracking 12345678901234567890',
      'Preis 1.234,50 €',
      '+4111111111111111',
    ]) {
      expect(maskCardNumbers(text), text).toBe(text);
    }
  });

  it('P2 masks two cards in a row and chooses the reading that masks the most digits', () => {
    expect(maskCardNumbers('4111 1111 1111 1111 4012 8888 8888 1881')).toBe('****1111 ****1881');
    expect(maskCardNumbers('4111111111111111 5555555555554444')).toBe('****1111 ****4444');
  });

  it('P2 never masks the tail of an earlier mask again', () => {
    expect(maskCardNumbers('****1111 2345 6789 0123')).toBe('****1111 2345 6789 0123');
    expect(maskCardNumbers(maskCardNumbers('4111111111111111 1111 1111 1111 1'))).toBe(maskCardNumbers('4111111111111111 1111 1111 1111 1'));
  });

  it('P2 masks every generated valid card, however written and wherever in a sentence', () => {
    fc.assert(
      fc.property(writtenCard, fc.constantFrom('', 'Karte: ', 'my card is ', '卡号'), fc.constantFrom('', '.', ' thanks', '!\n'), (card, before, after) => {
        const masked = maskCardNumbers(`${before}${card.written}${after}`);
        expect(masked).toBe(`${before}****${card.digits.slice(-4)}${after}`);
      }),
      { numRuns: 1000 },
    );
  });
});
