import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, sleep } from './sleep.js';

describe('sleep', () => {
  it('a wait longer than a Node timer takes is capped, never cut to 1 ms', async () => {
    const controller = new AbortController();
    let settled = false;
    const waiting = sleep(MAX_TIMER_MS + 5, controller.signal).then(
      () => (settled = true),
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(settled).toBe(false);
    controller.abort(new Error('done waiting'));
    await waiting;
    expect(settled).toBe(false);
  });

  it('resolves after the delay, and at once for 0', async () => {
    const started = performance.now();
    await sleep(0);
    await sleep(15);
    expect(performance.now() - started).toBeGreaterThanOrEqual(10);
  });
});
