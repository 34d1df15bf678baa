import { describe, expect, it } from 'vitest';
import { parseRetryAfterHeader, parseRetryDelay } from './parse-retry-delay.js';

describe('parseRetryDelay', () => {
  it('reads whole and fractional protobuf durations', () => {
    expect(parseRetryDelay('26s')).toBe(26_000);
    expect(parseRetryDelay('34.4s')).toBe(34_400);
    expect(parseRetryDelay('0.250s')).toBe(250);
    expect(parseRetryDelay('3.000000001s')).toBe(3_000);
  });

  it('reads the object form { seconds, nanos }', () => {
    expect(parseRetryDelay({ seconds: 2, nanos: 500_000_000 })).toBe(2_500);
    expect(parseRetryDelay({ seconds: '7' })).toBe(7_000);
  });

  it('returns undefined for anything else', () => {
    for (const value of [undefined, null, '', '26', '26ms', 's', '-1s', 26, {}, { seconds: 'x' }]) {
      expect(parseRetryDelay(value)).toBeUndefined();
    }
  });
});

describe('parseRetryAfterHeader', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfterHeader('7')).toBe(7_000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterHeader('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterHeader('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });

  it('returns undefined when absent or unreadable', () => {
    expect(parseRetryAfterHeader(undefined)).toBeUndefined();
    expect(parseRetryAfterHeader(null)).toBeUndefined();
    expect(parseRetryAfterHeader('soon')).toBeUndefined();
  });
});
