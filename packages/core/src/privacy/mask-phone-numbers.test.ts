import { describe, expect, it } from 'vitest';
import { maskPhoneNumbers } from './mask-phone-numbers.js';

describe('maskPhoneNumbers', () => {
  it('P2 masks international numbers', () => {
    for (const phone of [
      '+49 30 1234567',
      '+1 (415) 555-0100',
      '+49 (0)30 1234567',
      '+44 (0) 20 7946 0958',
      '+33 6 12 34 56 78',
      '+491511234567',
      '+49-151-1234567',
      '0049 30 1234567',
      '+1 415 555 0100',
      '+49 151 1234 5678',
    ]) {
      expect(maskPhoneNumbers(`call ${phone} please`), phone).toBe('call ***-*** please');
    }
  });

  it('P2 masks common national formats', () => {
    for (const phone of [
      '030 1234567',
      '(030) 1234567',
      '030/1234567',
      '0151 12345678',
      '06 12 34 56 78',
      '06.12.34.56.78',
      '020 7946 0958',
      '030 12345-67',
      '(415) 555-0100',
      '(415)555-0100',
      '415-555-0100',
      '415.555.0100',
      '1-800-555-0199',
      '01711234567',
      '090-1234-5678',
    ]) {
      expect(maskPhoneNumbers(`Tel.: ${phone}.`), phone).toBe('Tel.: ***-***.');
    }
  });

  it('P2 masks numbers next to text of scripts written without spaces', () => {
    expect(maskPhoneNumbers('电话030 1234567谢谢')).toBe('电话***-***谢谢');
    expect(maskPhoneNumbers('電話番号は090-1234-5678です')).toBe('電話番号は***-***です');
  });

  it('P2 leaves dates, times, amounts, postcodes, versions and short numbers alone', () => {
    for (const text of [
      '2024-07-01',
      '01.07.2024',
      '01/07/2024',
      '01.07.2024 10:30',
      '2024-07-01 10:30',
      '01-07-2024 15',
      'at 14:30',
      '09:00-17:00',
      '1,234.50 €',
      '1.234,50 €',
      '12 345 678,90 €',
      '10115 Berlin',
      '75001 Paris',
      'SW1A 1AA',
      'ip 192.168.0.1',
      'v1.2.3',
      'ISBN 978-3-16-148410-0',
      'order 12345',
      '0.123456789',
      'Kunde 4711',
      '$415 555 0100',
      'x0301234567',
      '0301234567x',
      '#0301234567',
      '0000000000',
    ]) {
      expect(maskPhoneNumbers(text), text).toBe(text);
    }
  });

  it('P2 keeps numbers that follow a phone number out of its mask', () => {
    expect(maskPhoneNumbers('030 1234567 10 Uhr')).toBe('***-*** 10 Uhr');
    expect(maskPhoneNumbers('2024-07-01 030 1234567')).toBe('2024-07-01 ***-***');
    expect(maskPhoneNumbers('01.07.2024 0301234567')).toBe('01.07.2024 ***-***');
    expect(maskPhoneNumbers('call 5 415 555 0100')).toBe('call 5 ***-***');
    expect(maskPhoneNumbers('415-555-0100 x123')).toBe('***-*** x123');
  });

  it('P2 masks two numbers in a row without leaking the second', () => {
    expect(maskPhoneNumbers('06 12 34 56 78 06 98 76 54 32')).toBe('***-*** ***-***');
    expect(maskPhoneNumbers('030 1234567, 0151 12345678')).toBe('***-***, ***-***');
  });

  it('P2 never reads the tail of a card or IBAN mask as part of a phone number', () => {
    for (const text of ['****1111 2345678', 'DE****3000 030', '****1234-5678-9012', '***-*** 12']) expect(maskPhoneNumbers(text), text).toBe(text);
    expect(maskPhoneNumbers('****1111 030 1234567')).toBe('****1111 ***-***');
  });

  it('P2 masks a number written alone in parentheses without eating the parentheses', () => {
    expect(maskPhoneNumbers('(0301234567)')).toBe('(***-***)');
    expect(maskPhoneNumbers('(call 030 1234567)')).toBe('(call ***-***)');
  });
});
