import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startClaimHeartbeat } from './claim-heartbeat.js';
import type { ExecutionJournal } from './execution-journal.js';
import type { TicketWriter } from './ticket-writer.js';

/** A writer whose writes land when the test says, and a journal whose renewals are recorded. */
function fakeExecution() {
  const writer = { lost: null, hasStaged: false, lastWriteAt: 0 };
  const writes: number[] = [];
  /** How long before each renewal the previous write landed. */
  const renewedAfter: number[] = [];
  const write = () => {
    writer.lastWriteAt = Date.now();
    writes.push(Date.now());
  };
  const journal = {
    renew: () => {
      renewedAfter.push(Date.now() - writer.lastWriteAt);
      return Promise.resolve(write());
    },
  };
  return { writer: writer as unknown as TicketWriter, journal: journal as unknown as ExecutionJournal, write, writes, renewedAfter };
}

const gapsOf = (times: readonly number[]) => times.slice(1).map((time, index) => time - times[index]!);

describe('claim heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('E4 a running claim version never stands for more than half a lease, whenever the journal writes land (the rest is the margin for a stall)', () => {
    const leaseMs = 600;
    const execution = fakeExecution();
    const stop = startClaimHeartbeat(execution.writer, execution.journal, leaseMs, () => Date.now());
    // Journal writes landing just after the heartbeat looked: the worst case for the next renewal.
    for (const at of [201, 1_401, 2_333]) {
      vi.advanceTimersByTime(at - Date.now());
      execution.write();
    }
    vi.advanceTimersByTime(6_000 - Date.now());
    stop();
    const gaps = gapsOf([0, ...execution.writes]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(leaseMs / 2);
    // Renewals only when nothing wrote for a third of the lease: not a write per tick.
    expect(Math.min(...execution.renewedAfter)).toBeGreaterThanOrEqual(leaseMs / 3);
    expect(execution.writes.length).toBeLessThanOrEqual(6_000 / (leaseMs / 3) + 3);
  });

  it('E4 writes nothing while a checkpoint is staged or after the claim was lost, and nothing after it stopped', () => {
    const execution = fakeExecution();
    const writer = execution.writer as unknown as { hasStaged: boolean; lost: unknown };
    const stop = startClaimHeartbeat(execution.writer, execution.journal, 600, () => Date.now());
    writer.hasStaged = true;
    vi.advanceTimersByTime(2_000);
    expect(execution.writes).toEqual([]);
    writer.hasStaged = false;
    writer.lost = new Error('claim lost');
    vi.advanceTimersByTime(2_000);
    expect(execution.writes).toEqual([]);
    writer.lost = null;
    vi.advanceTimersByTime(400);
    expect(execution.writes.length).toBeGreaterThan(0);
    const written = execution.writes.length;
    stop();
    vi.advanceTimersByTime(2_000);
    expect(execution.writes).toHaveLength(written);
  });
});

describe('claim heartbeat with a lease longer than a Node timer', () => {
  it('E4 looks at the capped interval, not every millisecond (a timer over 2^31 - 1 ms would fire after 1 ms)', async () => {
    let looks = 0;
    const writer = {
      get lost() {
        looks += 1;
        return null;
      },
      hasStaged: false,
      lastWriteAt: 0,
    } as unknown as TicketWriter;
    const journal = { renew: () => Promise.resolve() } as unknown as ExecutionJournal;
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const stop = startClaimHeartbeat(writer, journal, 6 * 2_147_483_647 + 600, () => 0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    process.off('warning', onWarning);
    expect(looks).toBe(0);
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});
