import type { StoreError } from './store-error.js';
import type { CommitResult, TicketIndex, TicketSummary } from './ticket-store.js';
import type { ResolvedListQuery, ResolvedPurgeOptions } from './validate-fleet-arguments.js';

/**
 * The backend-specific part of a {@link TicketStore}: what an adapter author writes. Wrap it
 * in a {@link GuardedTicketStore}, which does everything every store must do the same way
 * (refuse use after `close`, validate arguments, encode and decode JSON with the one storage
 * rule, read the index fields, build list pages and cursors, map thrown errors to
 * `StoreError`), the way Kysely's runtime driver wraps every database driver.
 *
 * A driver receives only valid, encoded arguments, and may throw anything: errors that are
 * not already a `StoreError` go through {@link TicketStoreDriver.toStoreError}.
 *
 * @example
 * ```ts
 * class MyDriver implements TicketStoreDriver {
 *   readonly adapter = 'my-store';
 *   async load(ticketId) { const row = await db.get(ticketId); return row && { document: row.json, version: row.version }; }
 *   // commit, events, delete, list, purge, close, toStoreError …
 * }
 * export class MyTicketStore extends GuardedTicketStore {
 *   constructor(options: MyOptions) { super(new MyDriver(parseOptions(schema, options, 'MyTicketStore'))); }
 * }
 * ```
 */
export interface TicketStoreDriver {
  /** The adapter's name (`sqlite`, `my-store`): `store.name` and `StoreError.adapter`. */
  readonly adapter: string;

  /** The stored document as JSON text (or an already parsed object) and its version, or null. */
  load(ticketId: string): Promise<StoredTicketRow | null>;

  /**
   * Compare-and-set plus append, atomically (T3): succeed only if the stored version equals
   * `expectedVersion` (null: no ticket) and, for a non-null `expectedVersion`, the stored
   * incarnation equals `index.incarnation`. Store `index` beside the document, in the same
   * atomic write, to serve `list` and `purge`. A mismatch writes nothing and resolves
   * `{ ok: false, reason: 'conflict', version }` with the stored version (or null).
   */
  commit(commit: EncodedCommit): Promise<CommitResult>;

  /** Events with `seq > range.after`, in seq order, at most `range.limit` (null: all). */
  events(ticketId: string, range: { after: number; limit: number | null }): Promise<StoredEventRow[]>;

  /** Removes the ticket, its events, its index entries and every other copy. Unknown: no-op. */
  delete(ticketId: string): Promise<void>;

  /**
   * Up to `query.limit + 1` tickets matching the query, after `query.after`, in list order
   * (`compareTicketOrder`), from the index — never a scan of every document.
   */
  list(query: ResolvedListQuery): Promise<TicketSummary[]>;

  /**
   * Deletes (like `delete`) up to `options.limit` tickets whose `updatedAt` is before
   * `options.before` and whose status is not in `BUSY_STATUSES`, re-checking both in the
   * same atomic step as the delete. Returns how many were deleted.
   */
  purge(options: ResolvedPurgeOptions): Promise<number>;

  /** Releases what the driver created. Called once, after the operations in flight settled. */
  close(): Promise<void>;

  /**
   * Maps a driver error to a `StoreError` with the right `kind` and `outcome`. Absent: every
   * error is `unavailable`, with outcome `unknown` for writes and `not_applied` for reads.
   */
  toStoreError?(error: unknown, operation: StoreOperation): StoreError;
}

/** The store operations, as named in `StoreError` messages. */
export type StoreOperation = 'load' | 'commit' | 'events' | 'delete' | 'list' | 'purge' | 'close';

/** A stored ticket as a driver reads it. */
export interface StoredTicketRow {
  /** JSON text (or a Buffer of it), or the parsed object when the driver already has one. */
  document: unknown;
  version: number;
}

/** A stored event as a driver reads it; `seq` is the store's, whatever the JSON holds. */
export interface StoredEventRow {
  seq: number;
  /** The event's JSON text (or a Buffer of it, or the parsed object). */
  event: unknown;
}

/** A commit, validated and encoded by the wrapper. */
export interface EncodedCommit {
  ticketId: string;
  expectedVersion: number | null;
  /** The document as JSON text. */
  document: string;
  /** Each event as a JSON object text, without `seq`: the store numbers them. */
  events: string[];
  /** What to index, from `ticketIndexOf(request.ticket)`. */
  index: TicketIndex;
}
