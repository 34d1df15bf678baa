import type { TicketDoc } from '../model/ticket.js';
import type { StoredTicketEvent, TicketEvent } from './ticket-event.js';

/**
 * Where tickets live (DESIGN §5). Every adapter passes the same conformance suite,
 * `runTicketStoreConformance` from `@ticketflow/core/testing`.
 *
 * The contract in one paragraph: `commit` is a compare-and-set on the ticket's version
 * plus an append of the turn's events, atomically (T3). A version mismatch is *returned*
 * as `{ ok: false, reason: 'conflict' }`, never thrown and never turned into an upsert.
 * Driver failures are thrown as {@link StoreError} with a `kind`. Documents are plain
 * JSON and come back deep-equal (key order may change).
 *
 * @example
 * ```ts
 * const created = await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket, events: [] });
 * if (created.ok) await store.commit({ ticketId: 'T-1', expectedVersion: created.version, ticket: next, events });
 * ```
 */
export interface TicketStore {
  /** The adapter's name (`memory`, `sqlite`, `postgres`, `redis`), for logs and errors. */
  readonly name?: string;

  /**
   * Loads a ticket and its version, or `null` if there is none (never created, or deleted).
   * @throws {StoreError} `unavailable` when the backend cannot be reached; `corrupt` when the
   * stored document cannot be read back.
   */
  load(ticketId: string): Promise<LoadedTicket | null>;

  /**
   * Writes `ticket` and appends `events` if and only if the stored version equals
   * `expectedVersion` (`null`: the ticket must not exist). On success the new version is
   * the previous one plus one (1 on creation), and each event gets the next `seq`.
   *
   * A mismatch — a stale version, an expected version for a ticket that does not exist or
   * no longer does, or `null` for one that exists — writes nothing and resolves
   * `{ ok: false, reason: 'conflict', version }` with the current version (or `null`).
   * @throws {StoreError} `unavailable`, `invalid` (e.g. a document the backend refuses),
   * or `conflict` only for the database's own serialisation failures.
   */
  commit(request: CommitRequest): Promise<CommitResult>;

  /**
   * The ticket's events in `seq` order. `after`: only events with `seq > after`;
   * `limit`: at most that many (a positive integer; absent means all).
   * An unknown ticket has no events (an empty array).
   */
  events(ticketId: string, options?: EventsQuery): Promise<StoredTicketEvent[]>;

  /** Erases the ticket and all its events (GDPR). Deleting an unknown ticket is a no-op. */
  delete(ticketId: string): Promise<void>;

  /** Releases connections and timers the store created. Clients passed in are left open. */
  close(): Promise<void>;
}

/** A ticket as loaded. */
export interface LoadedTicket {
  ticket: TicketDoc;
  version: number;
}

/** Arguments of {@link TicketStore.commit}. */
export interface CommitRequest {
  ticketId: string;
  /** The version the caller read; `null` to create. */
  expectedVersion: number | null;
  ticket: TicketDoc;
  events: TicketEvent[];
}

/** Outcome of {@link TicketStore.commit}. */
export type CommitResult =
  | { ok: true; version: number }
  | { ok: false; reason: 'conflict'; version: number | null };

/** Arguments of {@link TicketStore.events}. */
export interface EventsQuery {
  after?: number;
  limit?: number;
}
