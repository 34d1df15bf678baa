import type { Variant } from './interleave.js';

/** Sets up one ticket (outside the timing) and returns the turn to run on it. */
export type TicketTurn = (ticketId: string) => Promise<(index: number) => Promise<unknown> | unknown>;

/**
 * A variant whose every block runs on a new ticket, set up at the steady state before the
 * block (outside the timing): `<base>-1`, `<base>-2`… A ticket therefore never has more
 * than 60 + one block of turns, the steady state measured everywhere — a ticket that took
 * thousands of turns in one run would measure the run's length, not a turn (the core's
 * Bloom filter of older messageIds, for one, fills after ~1,700 ids and then sends turns
 * to the event log).
 */
export function onFreshTickets(name: string, base: string, open: TicketTurn): Variant {
  let blocks = 0;
  let turn: ((index: number) => Promise<unknown> | unknown) | null = null;
  return {
    name,
    async beforeBlock() {
      turn = await open(`${base}-${(blocks += 1)}`);
    },
    run: (index) => turn!(index),
  };
}
