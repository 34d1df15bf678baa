import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIbans } from './mask-ibans.js';
import { REGISTRY_EXAMPLE_IBANS, writtenIban } from './privacy.test-helpers.js';

describe('maskIbans', () => {
  it('P2 masks an IBAN as its country code, **** and its last four, compact or grouped', () => {
    expect(maskIbans('IBAN: DE89 3704 0044 0532 0130 00.')).toBe('IBAN: DE****3000.');
    expect(maskIbans('GB29NWBK60161331926819')).toBe('GB****6819');
    expect(maskIbans('mon IBAN est fr14 2004 1010 0505 0001 3m02 606, merci')).toBe('mon IBAN est fr****2606, merci');
    expect(maskIbans('(NL91ABNA0417164300)')).toBe('(NL****4300)');
  });

  it('P2 masks every registry example', () => {
    for (const iban of REGISTRY_EXAMPLE_IBANS) expect(maskIbans(`x ${iban} y`)).toBe(`x ${iban.slice(0, 2)}****${iban.slice(-4)} y`);
  });

  it('P2 leaves text alone when the check digits, the length or the boundaries are wrong', () => {
    for (const text of [
      'DE88 3704 0044 0532 0130 00',
      'DE89 3704 0044 0532 0130 001',
      'XDE89370400440532013000',
      'DE89370400440532013000X',
      'DE89  3704 0044 0532 0130 00',
      'DE****3000',
      'AB12 3456',
      'CODE 12345',
    ]) {
      expect(maskIbans(text), text).toBe(text);
    }
  });

  it('P2 masks every generated valid IBAN of every registry country, however written', () => {
    fc.assert(
      fc.property(writtenIban, fc.constantFrom('', 'IBAN: ', 'Konto '), fc.constantFrom('', '.', ' bitte', '\n'), (iban, before, after) => {
        expect(maskIbans(`${before}${iban.written}${after}`)).toBe(
          `${before}${iban.written.slice(0, 2)}****${iban.written.replace(/ /g, '').slice(-4)}${after}`,
        );
      }),
      { numRuns: 1000 },
    );
  });
});
