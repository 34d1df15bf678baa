import { mergeTicketLists, ticketIndexOf } from '@ticketflow/core/adapter';
import type {
  CommitResult,
  EncodedCommit,
  ResolvedListQuery,
  ResolvedPurgeOptions,
  StoredEventRow,
  StoredTicketRow,
  StoreError,
  StoreOperation,
  TicketStoreDriver,
  TicketSummary,
} from '@ticketflow/core/adapter';
import type { ResolvedSqliteOptions } from './check-sqlite-options.js';
import { openSqliteConnection } from './open-sqlite-connection.js';
import type { SqliteConnection } from './open-sqlite-connection.js';
import { retryWhileBusy } from './retry-while-busy.js';
import { runInImmediateTransaction } from './run-in-immediate-transaction.js';
import { listParameters } from './sqlite-statements.js';
import { toSqliteStoreError } from './to-sqlite-store-error.js';

const PURGE_BATCH = 200;

interface Head {
  version: number | bigint;
  last_seq: number | bigint;
  incarnation: string | null;
}

/**
 * The SQLite backend of `SqliteTicketStore`. Every operation is synchronous SQL run by
 * `retryWhileBusy`: short synchronous tries, retried asynchronously while another
 * connection holds the lock, so the event loop never waits seconds for a lock.
 */
export class SqliteDriver implements TicketStoreDriver {
  readonly adapter = 'sqlite';
  private connection: Promise<SqliteConnection> | null = null;

  constructor(private readonly options: ResolvedSqliteOptions) {}

  load(ticketId: string): Promise<StoredTicketRow | null> {
    return this.run(({ statements }) => {
      const row = statements.load.get(this.options.namespace, ticketId) as { document: string; version: number | bigint } | undefined;
      return row === undefined ? null : { document: row.document, version: Number(row.version) };
    });
  }

  commit(commit: EncodedCommit): Promise<CommitResult> {
    return this.run((connection) => runInImmediateTransaction(connection.database, () => this.commitLocked(connection, commit)));
  }

  events(ticketId: string, range: { after: number; limit: number | null }): Promise<StoredEventRow[]> {
    return this.run(({ statements }) => {
      const rows = statements.events.all(this.options.namespace, ticketId, range.after, range.limit ?? -1) as { seq: number | bigint; event: string }[];
      return rows.map((row) => ({ seq: Number(row.seq), event: row.event }));
    });
  }

  async delete(ticketId: string): Promise<void> {
    await this.run(({ database, statements }) =>
      runInImmediateTransaction(database, () => {
        statements.deleteEvents.run(this.options.namespace, ticketId);
        statements.deleteTicket.run(this.options.namespace, ticketId);
      }),
    );
    await this.truncateWal();
  }

  list(query: ResolvedListQuery): Promise<TicketSummary[]> {
    return this.run(({ statements }) => {
      // One indexed query per status, merged: each is a bounded range of the status index.
      const queries =
        query.statuses !== null && query.statuses.length > 1 && query.claimExpiredBefore === null
          ? query.statuses.map((status) => ({ ...query, statuses: [status] }))
          : [query];
      const lists = queries.map((one) => (statements.list(one).all(...listParameters(this.options.namespace, one)) as SummaryRow[]).map(toSummary));
      return lists.length === 1 ? lists[0]! : mergeTicketLists(lists, query.limit);
    });
  }

  async purge(options: ResolvedPurgeOptions): Promise<number> {
    let purged = 0;
    for (;;) {
      const batch = Math.min(PURGE_BATCH, options.limit === null ? PURGE_BATCH : options.limit - purged);
      if (batch <= 0) break;
      const deleted = await this.run(({ database, statements }) =>
        runInImmediateTransaction(database, () => {
          // Chosen under the write lock, so a ticket that became busy meanwhile is never deleted.
          const doomed = statements.purgeCandidates.all(this.options.namespace, options.before, batch) as { ticket_id: string }[];
          for (const { ticket_id: ticketId } of doomed) {
            statements.deleteEvents.run(this.options.namespace, ticketId);
            statements.deleteTicket.run(this.options.namespace, ticketId);
          }
          return doomed.length;
        }),
      );
      purged += deleted;
      if (deleted < batch) break;
    }
    if (purged > 0) await this.truncateWal();
    return purged;
  }

  async close(): Promise<void> {
    const opening = this.connection;
    this.connection = null;
    const connection = await opening?.catch(() => null);
    if (connection?.owned?.open) connection.owned.close();
  }

  toStoreError(error: unknown, operation: StoreOperation): StoreError {
    return toSqliteStoreError(error, operation);
  }

  /**
   * The commit under the write lock. The common case — the expected version of a ticket whose
   * row holds its incarnation — is one compare-and-set statement that returns the new
   * `last_seq`; anything else (a new ticket, a lost compare-and-set, a row written by an older
   * adapter without an incarnation) reads the row's head first and decides from it.
   */
  private commitLocked(connection: SqliteConnection, commit: EncodedCommit): CommitResult {
    const { statements } = connection;
    const { namespace } = this.options;
    const { ticketId, expectedVersion, index } = commit;
    if (expectedVersion !== null) {
      const indexed = [index.updatedAt, index.status, index.claimExpiresAt, index.incarnation];
      const advanced = statements.advanceTicket.get(
        commit.document,
        commit.events.length,
        ...indexed,
        namespace,
        ticketId,
        expectedVersion,
        index.incarnation,
      ) as { last_seq: number | bigint } | undefined;
      if (advanced !== undefined) {
        let seq = Number(advanced.last_seq) - commit.events.length;
        for (const event of commit.events) statements.insertEvent.run(namespace, ticketId, (seq += 1), event);
        return { ok: true, version: expectedVersion + 1 };
      }
    }
    return this.commitFromHead(connection, commit);
  }

  /** A commit decided from the row's head: creation, a conflict, or a row without a stored incarnation. */
  private commitFromHead(connection: SqliteConnection, commit: EncodedCommit): CommitResult {
    const { statements } = connection;
    const { namespace } = this.options;
    const { ticketId, expectedVersion, index } = commit;
    const head = statements.head.get(namespace, ticketId) as Head | undefined;
    const current = head === undefined ? null : Number(head.version);
    if (current !== expectedVersion) return { ok: false, reason: 'conflict', version: current };
    if (head !== undefined && this.storedIncarnation(connection, head, ticketId) !== index.incarnation)
      return { ok: false, reason: 'conflict', version: current };
    let seq = head === undefined ? 0 : Number(head.last_seq);
    const lastSeq = seq + commit.events.length;
    const indexed = [index.updatedAt, index.status, index.claimExpiresAt, index.incarnation];
    if (current === null) statements.insertTicket.run(namespace, ticketId, commit.document, lastSeq, ...indexed);
    else statements.updateTicket.run(commit.document, lastSeq, ...indexed, namespace, ticketId, current);
    for (const event of commit.events) statements.insertEvent.run(namespace, ticketId, (seq += 1), event);
    return { ok: true, version: (current ?? 0) + 1 };
  }

  /** The stored incarnation; a row written by an older adapter has none: read it from its document. */
  private storedIncarnation({ statements }: SqliteConnection, head: Head, ticketId: string): string {
    if (head.incarnation !== null) return head.incarnation;
    const row = statements.document.get(this.options.namespace, ticketId) as { document: string } | undefined;
    let document: unknown = null;
    try {
      document = row === undefined ? null : JSON.parse(row.document);
    } catch {
      // unreadable: the default index, like the schema upgrade gives it
    }
    return ticketIndexOf(document).incarnation;
  }

  /** Runs synchronous work on the connection, retrying while another connection holds the lock. */
  private async run<T>(work: (connection: SqliteConnection) => T): Promise<T> {
    const connection = await this.connect();
    return retryWhileBusy(() => work(connection), this.options.busyTimeoutMs);
  }

  private connect(): Promise<SqliteConnection> {
    this.connection ??= openSqliteConnection(this.options).catch((error: unknown) => {
      this.connection = null; // the next call tries to open the file again
      throw error;
    });
    return this.connection;
  }

  /**
   * Erasure (DESIGN P3): copies the WAL into the file, whose freed pages `secure_delete`
   * zeroed, and truncates the WAL, so the erased rows are in neither. A reader holding an
   * old snapshot can delay the truncation: it is retried within the busy timeout, and any
   * later delete or purge truncates again.
   */
  private async truncateWal(): Promise<void> {
    const connection = await this.connect();
    if (!connection.wal) return;
    const deadline = Date.now() + this.options.busyTimeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      const result = (await retryWhileBusy(() => connection.statements.checkpoint.get(), this.options.busyTimeoutMs).catch(() => ({ busy: 1 }))) as {
        busy?: unknown;
      };
      if (Number(result.busy) === 0 || Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, 2 ** attempt)));
    }
  }
}

interface SummaryRow {
  ticket_id: string;
  version: number | bigint;
  status: string;
  updated_at: string;
  claim_expires_at: string | null;
}

function toSummary(row: SummaryRow): TicketSummary {
  return { ticketId: row.ticket_id, version: Number(row.version), status: row.status, updatedAt: row.updated_at, claimExpiresAt: row.claim_expires_at };
}
