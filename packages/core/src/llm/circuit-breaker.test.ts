import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  const clock = () => {
    let time = 1_000;
    return { now: () => time, advance: (ms: number) => (time += ms) };
  };
  const state = (breaker: CircuitBreaker) => breaker.check().state;
  const acquire = (breaker: CircuitBreaker) => breaker.tryAcquire(breaker.check().state);

  it('opens after the threshold of consecutive failures, refuses calls, and reports the opening with its cause', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000, maxHintMs: 600_000 }, time.now);
    expect(breaker.recordFailure('unavailable')).toBeNull();
    expect(breaker.recordFailure('unavailable')).toBeNull();
    expect(state(breaker)).toBe('closed');
    expect(breaker.recordFailure('invalid_output: not JSON')).toEqual({ type: 'opened', cause: 'invalid_output: not JSON', failures: 3, reopenAt: 11_000 });
    expect(state(breaker)).toBe('open');
    expect(acquire(breaker)).toBe(false);
  });

  it('lets exactly one probe through after the cool-down; a success closes it and says so', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000, maxHintMs: 600_000 }, time.now);
    breaker.recordFailure('timeout');
    time.advance(10_000);
    expect(state(breaker)).toBe('half_open');
    expect(acquire(breaker)).toBe(true);
    expect(acquire(breaker)).toBe(false);
    expect(breaker.recordSuccess()).toEqual({ type: 'closed', cause: 'probe_succeeded' });
    expect(state(breaker)).toBe('closed');
    expect(acquire(breaker)).toBe(true);
    expect(breaker.recordSuccess()).toBeNull();
  });

  it('L2 a wall clock stepped back while open keeps the circuit open for the cool-down left, not for the step as well', () => {
    let time = 5_000_000;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000, maxHintMs: 600_000 }, () => time);
    breaker.recordFailure('unavailable');
    time += 4_000;
    expect(state(breaker)).toBe('open');
    time -= 3_600_000; // an NTP step back of one hour
    expect(state(breaker)).toBe('open');
    time += 5_999;
    expect(state(breaker)).toBe('open');
    time += 1;
    expect(state(breaker)).toBe('half_open');
    // A hint's span follows the clock the same way.
    const hinted = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 10_000, maxHintMs: 600_000 }, () => time);
    hinted.recordFailure('rate_limited', 2_000);
    time -= 86_400_000;
    expect(hinted.check().state).toBe('open');
    time += 2_000;
    expect(hinted.check()).toEqual({ state: 'closed', transition: { type: 'closed', cause: 'hint_elapsed' } });
  });

  it('reopens when the probe fails', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000, maxHintMs: 600_000 }, time.now);
    breaker.recordFailure('timeout');
    time.advance(10_001);
    expect(acquire(breaker)).toBe(true);
    breaker.recordFailure('timeout');
    expect(state(breaker)).toBe('open');
    time.advance(9_999);
    expect(acquire(breaker)).toBe(false);
  });

  it('honours a provider back-off hint, then closes by itself (reported once)', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1_000, maxHintMs: 600_000 }, time.now);
    expect(breaker.recordFailure('rate_limited', 26_000)).toMatchObject({ type: 'opened', reopenAt: 27_000 });
    expect(state(breaker)).toBe('open');
    time.advance(25_000);
    expect(state(breaker)).toBe('open');
    time.advance(1_000);
    expect(breaker.check()).toEqual({ state: 'closed', transition: { type: 'closed', cause: 'hint_elapsed' } });
    expect(breaker.check()).toEqual({ state: 'closed', transition: null });
  });

  it('a transient failure after a back-off hint is not a failed probe (regression)', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 30_000, maxHintMs: 600_000 }, time.now);
    breaker.recordFailure('rate_limited', 5);
    time.advance(5);
    expect(acquire(breaker)).toBe(true);
    breaker.recordFailure('unavailable');
    expect(state(breaker)).toBe('closed');
    expect(acquire(breaker)).toBe(true);
  });

  it('a success resets the failure count', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, maxHintMs: 600_000 }, time.now);
    breaker.recordFailure('unavailable');
    breaker.recordSuccess();
    breaker.recordFailure('unavailable');
    expect(state(breaker)).toBe('closed');
  });

  it('L2 caps a huge back-off hint at maxHintMs and ignores one that is not a positive finite number', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1_000, maxHintMs: 600_000 }, time.now);
    expect(breaker.recordFailure('rate_limited', 1e13)).toMatchObject({ type: 'opened', reopenAt: 601_000 });
    time.advance(600_000);
    expect(breaker.check().transition).toEqual({ type: 'closed', cause: 'hint_elapsed' });
    for (const hint of [Number.NaN, Number.POSITIVE_INFINITY, -5]) expect(breaker.recordFailure('rate_limited', hint)).toBeNull();
    expect(state(breaker)).toBe('closed');
  });
});
