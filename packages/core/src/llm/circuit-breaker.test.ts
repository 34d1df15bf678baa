import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  const clock = () => {
    let time = 1_000;
    return { now: () => time, advance: (ms: number) => (time += ms) };
  };

  it('opens after the threshold of consecutive failures and refuses calls', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000 }, time.now);
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('lets exactly one probe through after the cool-down; a success closes it', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000 }, time.now);
    breaker.recordFailure();
    time.advance(10_000);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('reopens when the probe fails', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000 }, time.now);
    breaker.recordFailure();
    time.advance(10_001);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    time.advance(9_999);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('honours a provider back-off hint, then closes by itself', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1_000 }, time.now);
    breaker.recordFailure(26_000);
    expect(breaker.state).toBe('open');
    time.advance(25_000);
    expect(breaker.state).toBe('open');
    time.advance(1_000);
    expect(breaker.state).toBe('closed');
  });

  it('a transient failure after a back-off hint is not a failed probe (regression)', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 30_000 }, time.now);
    breaker.recordFailure(5);
    time.advance(5);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a success resets the failure count', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000 }, time.now);
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
  });
});
