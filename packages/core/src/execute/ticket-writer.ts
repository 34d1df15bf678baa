import type { TicketDoc } from '../model/ticket.js';
import type { TicketEvent } from '../store/ticket-event.js';
import type { TicketStore } from '../store/ticket-store.js';
import { ClaimLostError } from './execution-errors.js';

/**
 * Holds the latest committed version of a ticket during an execution and commits the next
 * one with compare-and-set. A lost race means another worker took the ticket over, so it
 * throws {@link ClaimLostError}: the caller must stop running tools.
 */
export class TicketWriter {
  /** Every event this writer committed, in order (for hooks). */
  readonly committedEvents: TicketEvent[] = [];
  /** Store writes made. */
  writes = 0;

  constructor(
    private readonly store: TicketStore,
    public ticket: TicketDoc,
    public version: number | null,
  ) {}

  async commit(next: TicketDoc, events: TicketEvent[]): Promise<void> {
    this.writes += 1;
    const result = await this.store.commit({ ticketId: next.id, expectedVersion: this.version, ticket: next, events });
    if (!result.ok) throw new ClaimLostError(next.id);
    this.ticket = next;
    this.version = result.version;
    for (const event of events) this.committedEvents.push(event);
  }
}
