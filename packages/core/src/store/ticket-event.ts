/**
 * One record of a ticket's event log. The engine writes them; stores keep them in order.
 *
 * Types are `noun.verb` in the past tense (`slot.inferred`, `decision.made`,
 * `execution.failed`). `data` is plain JSON and never holds secrets (O4).
 */
export interface TicketEventRecord {
  type: string;
  /** ISO time. */
  at: string;
  data?: Record<string, unknown>;
}

/** An event as the store returns it: with its per-ticket sequence number. */
export interface StoredEventRecord extends TicketEventRecord {
  /** Safe integer from 1, increasing by one per ticket, never reused. */
  seq: number;
}

/** @deprecated the store-level record; the engine's typed union is `TicketEvent` from `@ticketflow/core`. */
export type TicketEvent = TicketEventRecord;
/** @deprecated the store-level record; the engine's typed union is `StoredTicketEvent` from `@ticketflow/core`. */
export type StoredTicketEvent = StoredEventRecord;
