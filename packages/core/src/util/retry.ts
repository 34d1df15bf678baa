import pRetry from 'p-retry';
import { MAX_TIMER_MS, sleep } from './sleep.js';

/** Backoff of a retried call: exponential from `minDelayMs` to `maxDelayMs`, randomised. */
export interface BackoffPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Delay before the first retry; multiplied by `factor` per retry (before randomisation). */
  minDelayMs: number;
  /** Cap of one delay. */
  maxDelayMs: number;
  /** Growth per retry. Default 2. */
  factor?: number;
}

/** How {@link withRetries} treats failures. */
export interface RetryOptions {
  policy: BackoffPolicy;
  /** Whether this failure may be retried (the remaining budget is checked separately). */
  canRetry: (error: unknown) => boolean;
  /** A lower bound for the next delay that the failure itself asks for (a provider's `retryAfterMs`). */
  hintMs?: (error: unknown) => number | undefined;
  /** Runs before each retry (e.g. to journal it): attempt number of the retry, the failure. */
  beforeRetry?: (attempt: number, error: unknown) => Promise<void> | void;
  /** Stops retrying (and waiting) when aborted. */
  signal?: AbortSignal;
  /**
   * A `performance.now()` time past which no retry starts: a backoff or hint still running then
   * is cut short and the last failure is thrown (a turn's LLM budget). Infinity: none.
   */
  until?: number;
}

/**
 * The one retry helper of the core, on p-retry's own options (factor, randomisation,
 * min/max timeout, signal): used for LLM calls and tool calls alike. A failure's hint
 * (`retryAfterMs`) is honoured as a lower bound: the helper waits it out before p-retry's own
 * backoff. Rejects with the last failure (never p-retry's wrapper).
 */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy } = options;
  if (policy.retries === 0) return attempt(1);
  // Without a signal, the common cases — a first attempt that succeeds, or fails for good —
  // cost no p-retry machinery: a retryable failure is handed to p-retry as its own first
  // attempt, so everything after it is p-retry's. With a signal, p-retry runs from the start
  // (it also checks the signal around each attempt).
  let first: Promise<T> | undefined;
  if (!options.signal) {
    try {
      return await attempt(1);
    } catch (error) {
      if (!options.canRetry(error)) throw error;
      first = Promise.reject(error);
      first.catch(() => undefined);
    }
  }
  const deadline =
    options.until !== undefined && Number.isFinite(options.until)
      ? AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(options.until - performance.now()))))
      : undefined;
  const signal = deadline && options.signal ? AbortSignal.any([options.signal, deadline]) : (deadline ?? options.signal);
  let last: { error: unknown } | undefined;
  try {
    return await pRetry((attemptNumber) => (attemptNumber === 1 && first ? first : attempt(attemptNumber)), {
      retries: policy.retries,
      factor: policy.factor ?? 2,
      minTimeout: policy.minDelayMs,
      maxTimeout: Math.max(policy.minDelayMs, policy.maxDelayMs),
      randomize: policy.minDelayMs > 0,
      ...(signal ? { signal } : {}),
      shouldRetry: ({ error }) => options.canRetry(error),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        last = { error };
        if (retriesLeft === 0 || !options.canRetry(error)) return;
        const hint = options.hintMs?.(error) ?? 0;
        if (hint > 0) await sleep(hint, signal);
        await options.beforeRetry?.(attemptNumber + 1, error);
      },
    });
  } catch (error) {
    // The deadline ended a wait: what failed last is the answer, not the abort.
    if (deadline?.aborted && !options.signal?.aborted && last) throw last.error;
    throw error;
  }
}
