import type { TicketDoc } from '../model/ticket.js';
import type { TicketEvent } from '../store/ticket-event.js';
import type { TicketStore } from '../store/ticket-store.js';
import { ClaimLostError } from './execution-errors.js';

/**
 * Holds the latest version of a ticket during an execution and commits the next one with
 * compare-and-set. The checkpoint is *staged*: it is written together with the first
 * journal entry (or the result, when no tool runs), so it still lands before any tool runs
 * but costs no write of its own. A lost race throws {@link ClaimLostError}; the caller must
 * stop running tools (or, before the claim, re-run the turn).
 */
export class TicketWriter {
  /** Every event this writer committed, in order (for hooks). */
  readonly committedEvents: TicketEvent[] = [];
  private staged: TicketEvent[] | null = null;

  constructor(
    private readonly store: TicketStore,
    public ticket: TicketDoc,
    public version: number | null,
  ) {}

  /** Stages the checkpoint (the claimed ticket and the turn's events) for the next write. */
  stage(checkpoint: TicketDoc, events: TicketEvent[]): void {
    this.ticket = checkpoint;
    this.staged = events;
  }

  async commit(next: TicketDoc, events: TicketEvent[]): Promise<void> {
    const staged = this.staged;
    const all = staged ? staged.concat(events) : events;
    const result = await this.store.commit({ ticketId: next.id, expectedVersion: this.version, ticket: next, events: all });
    if (!result.ok) throw new ClaimLostError(next.id, staged !== null);
    this.staged = null;
    this.ticket = next;
    this.version = result.version;
    for (const event of all) this.committedEvents.push(event);
  }
}
