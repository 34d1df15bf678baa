import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSweeper, summarize, type SweeperLog } from './sweeper.js';

function recordingLog() {
  const lines: { level: 'info' | 'warn'; fields: Record<string, unknown>; message: string }[] = [];
  const log: SweeperLog = {
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
  };
  return { log, lines };
}

/** A recoverer whose calls take `durationMs` (fake time) and return the next queued result. */
function fakeRecoverer(durationMs: number, results: unknown[] = []) {
  const calls: { at: number; limit?: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    async recover(options: { limit?: number }) {
      calls.push({ at: Date.now(), ...options });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (durationMs > 0) await new Promise((resolve) => setTimeout(resolve, durationMs));
      inFlight -= 1;
      const next = results.shift();
      if (next instanceof Error) throw next;
      return next ?? { recovered: 0, approvalsExpired: 0, inputsExpired: 0 };
    },
  };
}

describe('the sweeper (E7)', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('E7 calls agent.recover({ limit }) every interval, jittered within ±20 %', async () => {
    const agent = fakeRecoverer(0);
    const { log } = recordingLog();
    let draw = 0;
    const draws = [0, 0.999, 0.5, 0.25];
    const sweeper = startSweeper({ agent, intervalMs: 10_000, limit: 50, log, random: () => draws[draw++ % draws.length]! });
    await vi.advanceTimersByTimeAsync(60_000);
    await sweeper.stop();
    const gaps = agent.calls.map((call, index) => call.at - (index === 0 ? 0 : agent.calls[index - 1]!.at));
    expect(gaps.slice(0, 4)).toEqual([8_000, 11_996, 10_000, 9_000]);
    expect(gaps.every((gap) => gap >= 8_000 && gap <= 12_000)).toBe(true);
    expect(agent.calls.every((call) => call.limit === 50)).toBe(true);
  });

  it('E7 never overlaps sweeps: a sweep slower than the interval delays the next one', async () => {
    const agent = fakeRecoverer(25_000);
    const { log } = recordingLog();
    const sweeper = startSweeper({ agent, intervalMs: 1_000, limit: 10, log, jitter: 0 });
    await vi.advanceTimersByTimeAsync(120_000);
    const stopping = sweeper.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    await stopping;
    expect(agent.maxInFlight).toBe(1);
    expect(agent.calls.map((call) => call.at).slice(0, 3)).toEqual([1_000, 27_000, 53_000]);
  });

  it('E7 logs one line per sweep that did something, nothing for an idle one, and a warning for a failed one', async () => {
    const agent = fakeRecoverer(5, [
      { recovered: 0, approvalsExpired: 0 },
      { recovered: 2, approvalsExpired: 1, inputsExpired: 0, tickets: ['a', 'b'] },
      new Error('store down'),
      undefined,
    ]);
    const { log, lines } = recordingLog();
    const sweeper = startSweeper({ agent, intervalMs: 1_000, limit: 100, log, jitter: 0 });
    await vi.advanceTimersByTimeAsync(4_100);
    await sweeper.stop();
    expect(sweeper.sweeps).toBe(4);
    expect(lines).toEqual([
      { level: 'info', fields: { recovered: 2, approvalsExpired: 1, tickets: 2, durationMs: 5 }, message: 'sweep: recovered tickets' },
      { level: 'warn', fields: { error: 'store down', durationMs: 5 }, message: 'sweep failed; the next one runs as planned' },
    ]);
  });

  it('E7 stop() waits for the sweep in progress and no sweep starts afterwards', async () => {
    const agent = fakeRecoverer(3_000);
    const { log } = recordingLog();
    const sweeper = startSweeper({ agent, intervalMs: 1_000, limit: 10, log, jitter: 0 });
    await vi.advanceTimersByTimeAsync(1_500); // the first sweep is running
    let stopped = false;
    const stopping = sweeper.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(agent.calls).toHaveLength(1);
    expect(sweeper.sweeps).toBe(1);
  });

  it('is off with an interval of 0', async () => {
    const agent = fakeRecoverer(0);
    const sweeper = startSweeper({ agent, intervalMs: 0, limit: 10, log: recordingLog().log });
    await vi.advanceTimersByTimeAsync(600_000);
    await sweeper.stop();
    expect(agent.calls).toEqual([]);
  });

  it('summarizes a recover result as its non-zero counts', () => {
    expect(summarize({ recovered: 3, approvalsExpired: 0, inputsExpired: 1, tickets: [], note: 'x' })).toEqual({ recovered: 3, inputsExpired: 1 });
    expect(summarize(undefined)).toEqual({});
    expect(summarize(7)).toEqual({});
  });
});
