import { setTimeout as sleep } from 'node:timers/promises';

/** How long one attempt may wait for a lock synchronously (SQLite's own busy handler), in ms. */
export const SYNC_BUSY_WAIT_MS = 5;

/**
 * Runs synchronous SQLite work, retrying it while another connection holds the lock
 * (`SQLITE_BUSY`), until `budgetMs` have passed. Each attempt waits at most a few
 * milliseconds synchronously (the connection's busy timeout); between attempts the event
 * loop runs (backoff 1, 2, 4 … 50 ms with jitter), so a lock held for seconds by another
 * process never freezes the process. The work must be all-or-nothing per attempt (a
 * transaction, or reads).
 */
export async function retryWhileBusy<T>(work: () => T, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return work();
    } catch (error) {
      const remaining = deadline - Date.now();
      if (!isBusy(error) || remaining <= 0) throw error;
      const backoff = Math.min(50, 2 ** attempt) * (0.5 + Math.random() / 2);
      await sleep(Math.max(1, Math.min(remaining, backoff)));
    }
  }
}

/** `SQLITE_BUSY` and its extended codes (`SQLITE_BUSY_SNAPSHOT`, `…_RECOVERY`, `…_TIMEOUT`). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
