import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../faults/seeded-random.js';
import type { Job } from '../worker/worker-protocol.js';
import { SOAK } from './chaos-profile.js';
import { TicketScheduler } from './ticket-scheduler.js';

type MessageJob = Extract<Job, { kind: 'message' }>;

/** A scheduler on one ticket whose every job after the first is a reuse probe. */
function probingScheduler() {
  const profile = { ...SOAK, overlap: 0, resends: { oldRate: 0, reuseRate: 1 } };
  const scheduler = new TicketScheduler([['first message', 'second message']], 'run', profile, new SeededRandom(7));
  const first = scheduler.next(1) as MessageJob;
  scheduler.answered(first, false);
  const probe = scheduler.next(2) as MessageJob;
  return { scheduler, first, probe, ticket: scheduler.tickets[0]! };
}

describe('TicketScheduler T7 probes', () => {
  it('makes a reuse probe of an acknowledged id, whose text the system must refuse', () => {
    const { scheduler, first, probe } = probingScheduler();
    expect(probe).toMatchObject({ purpose: 'reuse', messageId: first.messageId, life: 0 });
    expect(scheduler.refusedTexts).toHaveLength(1);
    expect(probe.message.endsWith(scheduler.refusedTexts[0]!)).toBe(true);
  });

  it('counts a probe accepted in the life its id was used in as a breach, and keeps its text refused', () => {
    const { scheduler, probe } = probingScheduler();
    scheduler.answered(probe, false);
    expect(scheduler.resends).toMatchObject({ reuseAccepted: 1, reuseAfterLifeEnded: 0 });
    expect(scheduler.refusedTexts).toHaveLength(1);
  });

  it('takes a probe that landed after its life ended (sent again after an erasure) as a new message of the new life', () => {
    const { scheduler, probe, ticket } = probingScheduler();
    scheduler.forgetLives([ticket.id]);
    scheduler.answered(probe, false);
    expect(scheduler.resends).toMatchObject({ reuseAccepted: 0, reuseAfterLifeEnded: 1 });
    expect(scheduler.refusedTexts).toEqual([]);
  });

  it('does the same while an erasure of its ticket is in flight (the erasure may have committed first)', () => {
    const { scheduler, probe, ticket } = probingScheduler();
    ticket.erasing = true;
    scheduler.answered(probe, false);
    expect(scheduler.resends).toMatchObject({ reuseAccepted: 0, reuseAfterLifeEnded: 1 });
    expect(scheduler.refusedTexts).toEqual([]);
  });
});
