/**
 * The longest delay a Node timer honours (2^31 - 1 ms, about 24.8 days): a longer one fires
 * after 1 ms, with a `TimeoutOverflowWarning`. Every timer of the engine is capped at it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Resolves after `ms` (at most {@link MAX_TIMER_MS}: a longer wait ends then, never after 1
 * ms), or rejects with the signal's reason when it aborts first.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with full jitter in [base/2, base]: base = min(max, min * 2^(attempt-1)). */
export function backoffDelay(attempt: number, minDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxDelayMs, minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}
