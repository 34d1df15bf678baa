import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  ConfigurationError,
  decodeStoredObject,
  encodeStoredJson,
  StoreError,
  validateCommitRequest,
  validateEventsQuery,
  validateTicketId,
} from '@ticketflow/core';
import type { CommitRequest, CommitResult, EventsQuery, LoadedTicket, StoredTicketEvent, TicketDoc, TicketStore } from '@ticketflow/core';
import { enableWal } from './enable-wal.js';
import { runInImmediateTransaction } from './run-in-immediate-transaction.js';
import { ensureSqliteSchema } from './sqlite-schema.js';
import { prepareSqliteStatements } from './sqlite-statements.js';
import type { SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase, SqliteTicketStoreOptions } from './sqlite-ticket-store-options.js';
import { toSqliteStoreError } from './to-sqlite-store-error.js';

const ADAPTER = 'sqlite';
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

interface Connection {
  database: SqliteDatabase;
  statements: SqliteStatements;
  /** Only a database the store opened is closed by it. */
  owned: Database.Database | null;
}

/**
 * A {@link TicketStore} on one SQLite file (better-sqlite3): the embedded default, with no
 * set-up. Several processes may share the file: a commit is one `BEGIN IMMEDIATE`
 * transaction doing the compare-and-set on the version and the event append, and WAL mode
 * lets readers go on while one process writes.
 *
 * The file is opened, and its schema created or checked, on the first operation. Calls are
 * synchronous underneath: a write waiting for another process's lock blocks the event loop
 * for up to `busyTimeoutMs`, then fails with `StoreError` kind `unavailable`.
 *
 * @example
 * ```ts
 * const store = new SqliteTicketStore({ filename: './data/tickets.db', namespace: 'support' });
 * const agent = createAgent({ store, llm, intents, workflows });
 * ```
 * @throws {ConfigurationError} from the constructor, for unusable options.
 */
export class SqliteTicketStore implements TicketStore {
  readonly name = 'sqlite';
  private readonly options: SqliteTicketStoreOptions;
  private readonly namespace: string;
  private connection: Connection | null = null;
  private closed = false;

  constructor(options: SqliteTicketStoreOptions) {
    this.options = checkOptions(options);
    this.namespace = options.namespace ?? '';
  }

  async load(ticketId: string): Promise<LoadedTicket | null> {
    this.assertOpen();
    validateTicketId(ADAPTER, ticketId);
    return this.use('load', ({ statements }) => {
      const row = statements.load.get(this.namespace, ticketId) as { document: string; version: number | bigint } | undefined;
      if (row === undefined) return null;
      return { ticket: decodeStoredObject<TicketDoc>(ADAPTER, row.document, 'ticket document'), version: Number(row.version) };
    });
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    this.assertOpen();
    validateCommitRequest(ADAPTER, request);
    const { ticketId, expectedVersion } = request;
    const document = encodeStoredJson(ADAPTER, request.ticket, 'the ticket');
    const events = request.events.map((event) => encodeStoredJson(ADAPTER, event, 'an event'));
    const now = new Date().toISOString();
    return this.use('commit', ({ database, statements }) =>
      runInImmediateTransaction(database, (): CommitResult => {
        const head = statements.head.get(this.namespace, ticketId) as { version: number | bigint; last_seq: number | bigint } | undefined;
        const currentVersion = head === undefined ? null : Number(head.version);
        if (currentVersion !== expectedVersion) return { ok: false, reason: 'conflict', version: currentVersion };
        let seq = head === undefined ? 0 : Number(head.last_seq);
        const lastSeq = seq + events.length;
        if (currentVersion === null) statements.insertTicket.run(this.namespace, ticketId, document, lastSeq, now);
        else statements.updateTicket.run(document, lastSeq, now, this.namespace, ticketId, currentVersion);
        for (const event of events) {
          seq += 1;
          statements.insertEvent.run(this.namespace, ticketId, seq, event);
        }
        return { ok: true, version: (currentVersion ?? 0) + 1 };
      }),
    );
  }

  async events(ticketId: string, options: EventsQuery = {}): Promise<StoredTicketEvent[]> {
    this.assertOpen();
    validateTicketId(ADAPTER, ticketId);
    validateEventsQuery(ADAPTER, options);
    return this.use('events', ({ statements }) => {
      const rows = statements.events.all(this.namespace, ticketId, options.after ?? 0, options.limit ?? -1) as { seq: number | bigint; event: string }[];
      return rows.map((row) => ({ ...decodeStoredObject<Omit<StoredTicketEvent, 'seq'>>(ADAPTER, row.event, 'event'), seq: Number(row.seq) }));
    });
  }

  async delete(ticketId: string): Promise<void> {
    this.assertOpen();
    validateTicketId(ADAPTER, ticketId);
    this.use('delete', ({ database, statements }) =>
      runInImmediateTransaction(database, () => {
        statements.deleteEvents.run(this.namespace, ticketId);
        statements.deleteTicket.run(this.namespace, ticketId);
      }),
    );
  }

  /** Closes the file if the store opened it; a `database` passed in stays open. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    const owned = this.connection?.owned;
    this.connection = null;
    if (owned?.open) {
      try {
        owned.close();
      } catch (error) {
        throw toSqliteStoreError(error, 'close');
      }
    }
  }

  private use<T>(action: string, work: (connection: Connection) => T): T {
    try {
      return work(this.connection ?? this.connect());
    } catch (error) {
      throw toSqliteStoreError(error, action);
    }
  }

  private connect(): Connection {
    const options = this.options;
    let owned: Database.Database | null = null;
    try {
      if (options.database === undefined) {
        const filename = options.filename;
        if (filename !== ':memory:') mkdirSync(dirname(resolve(filename)), { recursive: true });
        const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
        owned = new Database(filename, { timeout: busyTimeoutMs });
        if (filename !== ':memory:') enableWal(owned, busyTimeoutMs);
      }
      const database: SqliteDatabase = owned ?? options.database!;
      ensureSqliteSchema(database);
      this.connection = { database, statements: prepareSqliteStatements(database), owned };
      return this.connection;
    } catch (error) {
      owned?.close();
      throw error;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError({ kind: 'unavailable', adapter: ADAPTER, message: 'the store is closed' });
  }
}

function checkOptions(options: SqliteTicketStoreOptions): SqliteTicketStoreOptions {
  const issues: string[] = [];
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError({ message: 'SqliteTicketStore needs an options object: { filename } or { database }' });
  }
  const hasDatabase = options.database !== undefined && options.database !== null;
  if (hasDatabase === (options.filename !== undefined)) issues.push('give exactly one of filename and database');
  if (options.filename !== undefined && (typeof options.filename !== 'string' || options.filename.length === 0)) {
    issues.push('filename must be a non-empty path or ":memory:"');
  }
  if (hasDatabase && (typeof options.database?.prepare !== 'function' || typeof options.database.exec !== 'function')) {
    issues.push('database must be an open better-sqlite3 Database (prepare and exec)');
  }
  const { busyTimeoutMs, namespace } = options;
  if (hasDatabase && busyTimeoutMs !== undefined) issues.push('busyTimeoutMs applies to a file the store opens; set the timeout on the database you pass instead');
  if (busyTimeoutMs !== undefined && (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0)) {
    issues.push('busyTimeoutMs must be a non-negative integer');
  }
  // Like ticket ids (validateTicketId): a lone surrogate would be stored as U+FFFD.
  if (namespace !== undefined && (typeof namespace !== 'string' || /\p{Surrogate}/u.test(namespace))) {
    issues.push('namespace must be a well-formed string');
  }
  if (issues.length > 0) throw new ConfigurationError({ message: 'Invalid SqliteTicketStore options', issues });
  return options;
}
