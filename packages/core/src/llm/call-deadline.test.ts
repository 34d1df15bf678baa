import { describe, expect, it } from 'vitest';
import { CallDeadline } from './call-deadline.js';

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

describe('CallDeadline (withDeadline as a class)', () => {
  it('L2 keeps its API: signal, timeoutMs, reason, describe, dispose', async () => {
    const deadline = new CallDeadline(30);
    expect({ timeoutMs: deadline.timeoutMs, reason: deadline.reason, aborted: deadline.signal.aborted }).toEqual({
      timeoutMs: 30,
      reason: undefined,
      aborted: false,
    });
    await aborted(deadline.signal);
    expect(deadline.reason).toBe('timeout');
    expect(deadline.describe()).toBe('no answer within 30 ms (timeout)');
    deadline.dispose();
    deadline.dispose();
  });

  it("L2 tells the caller's abort from the timeout", () => {
    const controller = new AbortController();
    const deadline = new CallDeadline(10_000, controller.signal);
    controller.abort();
    expect(deadline.reason).toBe('aborted');
    expect(deadline.describe()).toBe('the call was aborted by the caller');
    deadline.dispose();
  });

  it('a negative or NaN timeout times out at once instead of throwing (as before)', async () => {
    for (const timeoutMs of [-5, Number.NaN]) {
      const deadline = new CallDeadline(timeoutMs);
      await aborted(deadline.signal);
      expect(deadline.reason).toBe('timeout');
      deadline.dispose();
    }
  });
});
