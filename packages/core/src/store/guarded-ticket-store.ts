import { redactSecrets } from '../errors/redact.js';
import { sanitizeError } from '../errors/sanitize-error.js';
import type { TicketDoc } from '../model/ticket.js';
import { encodeCommitRequest } from './encode-commit.js';
import { pageOfTickets } from './list-cursor.js';
import { decodeStoredObject } from './stored-json.js';
import { StoreError } from './store-error.js';
import type { StoredTicketEvent, TicketEvent } from './ticket-event.js';
import type { StoreOperation, TicketStoreDriver } from './ticket-store-driver.js';
import type { CommitRequest, CommitResult, EventsQuery, ListQuery, LoadedTicket, PurgeOptions, TicketPage, TicketStore } from './ticket-store.js';
import { validateListQuery, validatePurgeOptions } from './validate-fleet-arguments.js';
import { validateEventsQuery, validateTicketId } from './validate-store-arguments.js';

const READS: ReadonlySet<StoreOperation> = new Set(['load', 'events', 'list']);

/**
 * A {@link TicketStore} around a {@link TicketStoreDriver}: the lifecycle and the rules every
 * store applies the same way, so that each adapter implements only its backend.
 *
 * - after `close()` every call fails with `StoreError` `unavailable` (`outcome: 'not_applied'`);
 *   `close()` is idempotent, waits for the operations in flight, then closes the driver once;
 * - arguments are validated and documents encoded (`encodeCommitRequest`, the one storage
 *   rule for hostile values) before the driver is called: bad input is `invalid` and never
 *   reaches the backend;
 * - stored JSON is decoded (`corrupt` when unreadable), `seq` set from the store, list pages
 *   and cursors built;
 * - anything the driver throws becomes a `StoreError` (`driver.toStoreError`, else
 *   `unavailable` with outcome `unknown` for writes, `not_applied` for reads).
 *
 * Adapters extend it: `class SqliteTicketStore extends GuardedTicketStore`.
 */
export class GuardedTicketStore implements TicketStore {
  /** The adapter's name, as in `StoreError.adapter`. */
  readonly name: string;
  /** The backend-specific part. */
  protected readonly driver: TicketStoreDriver;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  constructor(driver: TicketStoreDriver) {
    this.driver = driver;
    this.name = driver.adapter;
  }

  /** See {@link TicketStore.load}. */
  load(ticketId: string): Promise<LoadedTicket | null> {
    return this.run('load', async () => {
      validateTicketId(this.name, ticketId);
      const row = await this.driver.load(ticketId);
      if (row === null) return null;
      return { ticket: decodeStoredObject<TicketDoc>(this.name, row.document, 'ticket document'), version: this.checkedNumber(row.version, 'version') };
    });
  }

  /** See {@link TicketStore.commit}. */
  commit(request: CommitRequest): Promise<CommitResult> {
    return this.run('commit', () => this.driver.commit(encodeCommitRequest(this.name, request)));
  }

  /** See {@link TicketStore.events}. */
  events(ticketId: string, options?: EventsQuery): Promise<StoredTicketEvent[]> {
    return this.run('events', async () => {
      validateTicketId(this.name, ticketId);
      validateEventsQuery(this.name, options);
      const rows = await this.driver.events(ticketId, { after: options?.after ?? 0, limit: options?.limit ?? null });
      return rows.map((row) => ({ ...decodeStoredObject<TicketEvent>(this.name, row.event, 'event'), seq: this.checkedNumber(row.seq, 'event seq') }));
    });
  }

  /** See {@link TicketStore.delete}. */
  delete(ticketId: string): Promise<void> {
    return this.run('delete', async () => {
      validateTicketId(this.name, ticketId);
      await this.driver.delete(ticketId);
    });
  }

  /** See {@link TicketStore.list}. */
  list(query?: ListQuery): Promise<TicketPage> {
    return this.run('list', async () => {
      const resolved = validateListQuery(this.name, query);
      return pageOfTickets(await this.driver.list(resolved), resolved.limit);
    });
  }

  /** See {@link TicketStore.purge}. */
  purge(options: PurgeOptions): Promise<number> {
    return this.run('purge', async () => this.driver.purge(validatePurgeOptions(this.name, options)));
  }

  /** Waits for the operations in flight, then releases the driver. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      try {
        await this.driver.close();
      } catch (error) {
        throw this.toStoreError(error, 'close');
      }
    })();
    return this.closing;
  }

  /** True once `close()` was called. */
  protected get closed(): boolean {
    return this.closing !== undefined;
  }

  private async run<T>(operation: StoreOperation, work: () => Promise<T>): Promise<T> {
    if (this.closing)
      throw new StoreError({ kind: 'unavailable', adapter: this.name, message: `${operation} failed: the store is closed`, outcome: 'not_applied' });
    const running = work();
    this.inFlight.add(running);
    try {
      return await running;
    } catch (error) {
      throw this.toStoreError(error, operation);
    } finally {
      this.inFlight.delete(running);
    }
  }

  private toStoreError(error: unknown, operation: StoreOperation): StoreError {
    if (StoreError.isInstance(error)) return error;
    try {
      const mapped = this.driver.toStoreError?.(error, operation);
      if (StoreError.isInstance(mapped)) return mapped;
    } catch {
      // a broken mapper must not hide the original failure
    }
    const detail = redactSecrets(error instanceof Error ? error.message : String(error));
    const outcome = READS.has(operation) ? 'not_applied' : 'unknown';
    return new StoreError({ kind: 'unavailable', adapter: this.name, message: `${operation} failed: ${detail}`, cause: sanitizeError(error, []), outcome });
  }

  private checkedNumber(value: unknown, what: string): number {
    const number = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
    if (typeof number === 'number' && Number.isSafeInteger(number) && number > 0) return number;
    throw new StoreError({ kind: 'corrupt', adapter: this.name, retryable: false, message: `the stored ${what} is not a positive integer` });
  }
}
