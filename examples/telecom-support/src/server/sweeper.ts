/** What the sweeper needs of the agent: `agent.recover` (DESIGN E7). */
export interface Recoverer {
  recover(options: { limit?: number }): Promise<unknown>;
}

/** Where the sweeper writes its lines (a pino/Fastify logger fits). */
export interface SweeperLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** Options of {@link startSweeper}. */
export interface SweeperOptions {
  agent: Recoverer;
  /** Mean time between the end of a sweep and the start of the next, ms; 0 disables. */
  intervalMs: number;
  /** At most this many tickets per sweep (`recover({ limit })`). */
  limit: number;
  log: SweeperLog;
  /** ± fraction of `intervalMs` drawn at random per wait, so many processes spread out. Default 0.2. */
  jitter?: number;
  /** Random source in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

/** A running sweeper. */
export interface Sweeper {
  /** Stops scheduling sweeps and waits for the one in progress, if any. */
  stop(): Promise<void>;
  /** Sweeps finished so far. */
  readonly sweeps: number;
}

/**
 * Runs `agent.recover({ limit })` on an interval, so expired claims are compensated and
 * stale approvals expired without waiting for the customer to write again (DESIGN E7).
 * Sweeps never overlap (the next wait starts when a sweep ends), waits are jittered
 * (±20 % by default) so that a fleet of processes does not sweep in lock-step, a sweep
 * that did something logs one line with what it did, and a failed sweep logs a warning
 * and the next one runs as planned. `recover` is safe from many processes at once.
 */
export function startSweeper(options: SweeperOptions): Sweeper {
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const state = { stopped: false, sweeps: 0, timer: undefined as NodeJS.Timeout | undefined, running: undefined as Promise<void> | undefined };
  if (options.intervalMs <= 0) return { stop: async () => undefined, sweeps: 0 };

  const schedule = () => {
    if (state.stopped) return;
    const delay = Math.max(1, Math.round(options.intervalMs * (1 + jitter * (2 * random() - 1))));
    state.timer = setTimeout(() => {
      state.running = sweep().finally(() => {
        state.running = undefined;
        schedule();
      });
    }, delay);
    state.timer.unref();
  };

  const sweep = async () => {
    const started = Date.now();
    try {
      const result = await options.agent.recover({ limit: options.limit });
      const done = summarize(result);
      if (Object.keys(done).length > 0) options.log.info({ ...done, durationMs: Date.now() - started }, 'sweep: recovered tickets');
    } catch (error) {
      options.log.warn(
        { error: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started },
        'sweep failed; the next one runs as planned',
      );
    } finally {
      state.sweeps += 1;
    }
  };

  schedule();
  return {
    async stop() {
      state.stopped = true;
      clearTimeout(state.timer);
      await state.running;
    },
    get sweeps() {
      return state.sweeps;
    },
  };
}

/** The non-zero counts of a `recover` result (`{ recovered: 2, approvalsExpired: 1, … }`); lists count by length. */
export function summarize(result: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  if (!result || typeof result !== 'object') return counts;
  for (const [key, value] of Object.entries(result)) {
    const count = typeof value === 'number' ? value : Array.isArray(value) ? value.length : 0;
    if (Number.isFinite(count) && count > 0) counts[key] = count;
  }
  return counts;
}
