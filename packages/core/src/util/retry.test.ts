import { describe, expect, it } from 'vitest';
import { withRetries } from './retry.js';

const quick = { retries: 2, minDelayMs: 1, maxDelayMs: 2 };
const failure = (message: string, retryable = true) => Object.assign(new Error(message), { retryable });

describe('withRetries (the core retry helper, on p-retry)', () => {
  it('L2 runs a succeeding call once', async () => {
    const attempts: number[] = [];
    await expect(withRetries(async (attempt) => (attempts.push(attempt), 'ok'), { policy: quick, canRetry: () => true })).resolves.toBe('ok');
    expect(attempts).toEqual([1]);
  });

  it('L2 retries a retryable failure with p-retry after the first attempt, and rejects with the last failure itself', async () => {
    const attempts: number[] = [];
    const retried: number[] = [];
    const run = withRetries(
      async (attempt) => {
        attempts.push(attempt);
        throw failure(`attempt ${attempt}`);
      },
      { policy: quick, canRetry: () => true, beforeRetry: (attempt) => void retried.push(attempt) },
    );
    await expect(run).rejects.toThrow('attempt 3');
    expect({ attempts, retried }).toEqual({ attempts: [1, 2, 3], retried: [2, 3] });
  });

  it('L2 succeeds on a retry after a failed first attempt', async () => {
    const run = withRetries(
      async (attempt) => {
        if (attempt === 1) throw failure('flaky');
        return `answer of attempt ${attempt}`;
      },
      { policy: quick, canRetry: () => true },
    );
    await expect(run).resolves.toBe('answer of attempt 2');
  });

  it('L2 stops at once on a failure that may not be retried', async () => {
    const attempts: number[] = [];
    const run = withRetries(
      async (attempt) => {
        attempts.push(attempt);
        throw failure('bad input', false);
      },
      { policy: quick, canRetry: (error) => (error as { retryable: boolean }).retryable },
    );
    await expect(run).rejects.toThrow('bad input');
    expect(attempts).toEqual([1]);
  });

  it('L2 rejects with what a failing call threw when it may not be retried, even a value that is not an Error', async () => {
    const thrown = { code: 'E_DENIED', retryable: false };
    const run = withRetries(
      async () => {
        throw thrown;
      },
      { policy: quick, canRetry: (error) => (error as { retryable: boolean }).retryable },
    );
    await expect(run).rejects.toBe(thrown);
  });

  it("L2 waits at least the failure's hint before retrying", async () => {
    const times: number[] = [];
    await withRetries(
      async (attempt) => {
        times.push(performance.now());
        if (attempt === 1) throw failure('slow down');
        return 'ok';
      },
      { policy: quick, canRetry: () => true, hintMs: () => 60 },
    );
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(55);
  });

  it('L2 with an aborted signal makes no attempt and rejects with its reason', async () => {
    const attempts: number[] = [];
    const controller = new AbortController();
    controller.abort(new Error('execution abandoned'));
    const run = withRetries(async (attempt) => (attempts.push(attempt), 'ok'), { policy: quick, canRetry: () => true, signal: controller.signal });
    await expect(run).rejects.toThrow('execution abandoned');
    expect(attempts).toEqual([]);
  });

  it('L2 a deadline (until) cuts a backoff short and rejects with the last failure, not the abort', async () => {
    const attempts: number[] = [];
    const started = performance.now();
    const run = withRetries(
      async (attempt) => {
        attempts.push(attempt);
        throw failure(`attempt ${attempt}`);
      },
      { policy: { retries: 3, minDelayMs: 2_000, maxDelayMs: 2_000 }, canRetry: () => true, until: performance.now() + 100 },
    );
    await expect(run).rejects.toThrow('attempt 1');
    expect(attempts).toEqual([1]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
