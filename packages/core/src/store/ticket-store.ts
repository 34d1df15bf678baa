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

  /**
   * Erases the ticket and all its events (GDPR, P3), including every copy the store keeps
   * (index entries, WAL pages, …). Deleting an unknown ticket is a no-op. A commit prepared
   * against the erased life of the id (any `expectedVersion`) is refused as a conflict, even
   * after a new ticket with the same id reached that version (see {@link TicketIndex.incarnation}).
   */
  delete(ticketId: string): Promise<void>;

  /**
   * Tickets of this store's namespace, oldest `updatedAt` first (ties by ticket id),
   * filtered by status, last update and claim expiry. Served from an index maintained in
   * the same atomic commit as the document, never from a scan of every document.
   * `cursor` (from the previous page) pages through without skipping or repeating a ticket
   * that did not change meanwhile; `cursor: null` in the result means there is no more.
   * @throws {StoreError} `invalid` for a bad query or cursor; `unavailable`.
   */
  list(query?: ListQuery): Promise<TicketPage>;

  /**
   * Retention: deletes (with their events, like {@link delete}) up to `limit` tickets last
   * updated before `before` whose status is not busy (`executing`, `awaiting_approval`,
   * `awaiting_input`). Returns how many were deleted.
   * @throws {StoreError} `invalid` for bad options; `unavailable`.
   */
  purge(options: PurgeOptions): Promise<number>;

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
export type CommitResult = { ok: true; version: number } | { ok: false; reason: 'conflict'; version: number | null };

/**
 * What a store indexes of each committed document, read with `ticketIndexOf` from
 * `@ticketflow/core/adapter` (the one place that knows the document's shape):
 * - `status`, `updatedAt` (ISO) and `claimExpiresAt` (ISO or null) serve {@link TicketStore.list}
 *   and {@link TicketStore.purge};
 * - `incarnation` identifies one life of a ticket id: a random id the engine gives a ticket
 *   when it creates it. A commit with a non-null `expectedVersion` succeeds only if the stored
 *   version *and* the stored incarnation equal the request's (`ticketIndexOf(request.ticket)`),
 *   so a commit prepared before a delete, or before the backend lost its data, never lands
 *   on a new ticket that reused the id and reached the same version.
 */
export interface TicketIndex {
  status: string;
  updatedAt: string;
  claimExpiresAt: string | null;
  incarnation: string;
}

/** One row of {@link TicketStore.list}. */
export interface TicketSummary {
  ticketId: string;
  version: number;
  status: string;
  /** ISO time of the last commit (the engine's clock). */
  updatedAt: string;
  /** ISO time at which the claim of a running execution expires, or null when none is held. */
  claimExpiresAt: string | null;
}

/** Arguments of {@link TicketStore.list}. */
export interface ListQuery {
  /** Only tickets in this status (or these statuses). */
  status?: string | readonly string[] | undefined;
  /** Only tickets last updated strictly before this ISO time. */
  updatedBefore?: string | undefined;
  /** Only tickets holding a claim that expires strictly before this ISO time. */
  claimExpiredBefore?: string | undefined;
  /** Page size: 1–1,000. Default 100. */
  limit?: number | undefined;
  /** The `cursor` of the previous page. */
  cursor?: string | null | undefined;
}

/** A page of {@link TicketStore.list}. */
export interface TicketPage {
  tickets: TicketSummary[];
  /** Pass it back for the next page; null when this page is the last. */
  cursor: string | null;
}

/** Arguments of {@link TicketStore.purge}. */
export interface PurgeOptions {
  /** ISO time: tickets last updated strictly before it are deleted (unless busy). */
  before: string;
  /** At most this many (a positive integer). Default: all. */
  limit?: number | undefined;
}

/** Arguments of {@link TicketStore.events}. */
export interface EventsQuery {
  after?: number | undefined;
  limit?: number | undefined;
}
