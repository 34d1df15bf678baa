/** A stretch of real time (ms since the epoch) in which a process's event loop did not run. */
export interface Stall {
  from: number;
  to: number;
}

/** Options of {@link watchStalls}. */
export interface StallWatchOptions {
  /** How often the watch ticks, ms. Default 100. */
  tickMs?: number;
  /** The shortest stall reported: a tick this much later than due. Default 500. */
  minStallMs?: number;
  /** The monotonic clock the gaps are measured on. Default `performance.now`. */
  elapsed?: () => number;
  /** The wall clock the stall is reported on. Default `Date.now`. */
  now?: () => number;
}

/**
 * Reports every stretch in which this process's event loop did not run — frozen (SIGSTOP),
 * not scheduled on a busy machine, or blocked in a synchronous call (a SQLite busy wait on a
 * lock that a frozen process holds). A process in a stall cannot renew its claims, so the
 * history checker counts it as stopped, like a frozen one (`claims-respected`). A stall is
 * seen when the loop runs again: from the last tick that ran on time to now.
 */
export function watchStalls(onStall: (stall: Stall) => void, options: StallWatchOptions = {}): () => void {
  const tickMs = options.tickMs ?? 100;
  const minStallMs = options.minStallMs ?? 500;
  const elapsed = options.elapsed ?? (() => performance.now());
  const now = options.now ?? Date.now;
  let last = elapsed();
  const timer = setInterval(() => {
    const at = elapsed();
    const gap = at - last;
    last = at;
    if (gap - tickMs < minStallMs) return;
    const to = now();
    onStall({ from: to - gap, to });
  }, tickMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
