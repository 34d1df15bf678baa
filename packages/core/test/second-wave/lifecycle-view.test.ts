import { describe, expect, it } from 'vitest';
import { ticketLifecycle, type LifecycleEvent, type TicketStatus } from '@ticketflow/core';

describe('ticketLifecycle as a read-only view', () => {
  it('next() answers undefined (never throws) for a status or event the lifecycle does not know', () => {
    const outcomes: unknown[] = [];
    for (const [from, event] of [
      ['bogus', { type: 'ask' }],
      ['open', { type: 'bogus' }],
    ] as const) {
      try {
        outcomes.push(ticketLifecycle.next(from as TicketStatus, event as unknown as LifecycleEvent));
      } catch (error) {
        outcomes.push(`threw ${(error as Error).name}: ${(error as Error).message}`);
      }
    }
    expect(outcomes).toEqual([undefined, undefined]);
  });

  it('a caller cannot change the lifecycle other readers see (the view is frozen)', () => {
    const before = ticketLifecycle.transitions.length;
    try {
      (ticketLifecycle.transitions as unknown as unknown[]).splice(0);
    } catch {
      /* a frozen array refuses: fine */
    }
    expect(ticketLifecycle.transitions.length).toBe(before);
  });
});
