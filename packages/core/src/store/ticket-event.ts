/**
 * One record of a ticket's event log. The engine writes them; stores keep them in order.
 *
 * Types are `noun.verb` in the past tense (`slot.inferred`, `decision.made`,
 * `execution.failed`). `data` is plain JSON and never holds secrets (O4).
 */
export interface TicketEvent {
  type: string;
  /** ISO time. */
  at: string;
  data?: Record<string, unknown>;
}

/** An event as the store returns it: with its per-ticket sequence number. */
export interface StoredTicketEvent extends TicketEvent {
  /** Safe integer from 1, increasing by one per ticket, never reused. */
  seq: number;
}
