import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  decodeStoredObject,
  encodeStoredJson,
  StoreError,
  validateCommitRequest,
  validateEventsQuery,
  validateTicketId,
} from '@ticketflow/core';
import type { CommitRequest, CommitResult, EventsQuery, LoadedTicket, StoredTicketEvent, TicketDoc, TicketStore } from '@ticketflow/core';
import { checkPostgresOptions } from './check-postgres-options.js';
import { ensurePostgresSchema, postgresTables } from './postgres-schema.js';
import type { PostgresTables } from './postgres-schema.js';
import { postgresStatements } from './postgres-statements.js';
import type { PostgresStatements } from './postgres-statements.js';
import type { PostgresPool, PostgresTicketStoreOptions } from './postgres-ticket-store-options.js';
import { toPostgresStoreError } from './to-postgres-store-error.js';

const ADAPTER = 'postgres';
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

type Row = Record<string, unknown>;

/**
 * A {@link TicketStore} on PostgreSQL (`pg`). The document is JSONB with a `version`
 * column; events live in their own table with a per-ticket `seq`. Each operation is one
 * statement, so one round trip: a commit's compare-and-set and event append are a single
 * statement (data-modifying CTEs), a load is a single SELECT.
 *
 * The tables are created (or checked) once per store instance, on its first operation.
 * A refused connection fails within `connectTimeoutMs` and a server that stops answering
 * within `queryTimeoutMs`, both as `StoreError` kind `unavailable`.
 *
 * @example
 * ```ts
 * const store = new PostgresTicketStore({ connectionString: 'postgres://app:secret@db:5432/app', namespace: 'support' });
 * const agent = createAgent({ store, llm, intents, workflows });
 * // on shutdown
 * await store.close();
 * ```
 * @throws {ConfigurationError} from the constructor, for unusable options.
 */
export class PostgresTicketStore implements TicketStore {
  readonly name = 'postgres';
  private readonly pool: PostgresPool;
  private readonly ownedPool: pg.Pool | null;
  private readonly namespace: string;
  private readonly tables: PostgresTables;
  private readonly statements: PostgresStatements;
  private readonly queryTimeoutMs: number;
  private readonly secrets: string[];
  private schemaReady: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(options: PostgresTicketStoreOptions) {
    checkPostgresOptions(options);
    this.namespace = options.namespace ?? '';
    this.tables = postgresTables(options.schema ?? 'public');
    this.statements = postgresStatements(this.tables);
    this.queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    if (options.pool !== undefined) {
      this.pool = options.pool;
      this.ownedPool = null;
      this.secrets = secretsOfPool(options.pool);
      return;
    }
    this.secrets = passwordsOf(options.connectionString);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      statement_timeout: this.queryTimeoutMs,
      max: options.maxConnections ?? 10,
      keepAlive: true,
      application_name: 'ticketflow',
    });
    // An idle connection that dies (server restart, admin shutdown) must not crash the
    // process: the pool drops it and the next query opens a new one.
    pool.on('error', () => {});
    this.pool = pool;
    this.ownedPool = pool;
  }

  async load(ticketId: string): Promise<LoadedTicket | null> {
    this.assertOpen();
    const key = this.ticketKey(ticketId);
    return this.run('load', async () => {
      const [row] = await this.query(this.statements.load, [this.namespace, key]);
      if (row === undefined) return null;
      return { ticket: decodeStoredObject<TicketDoc>(ADAPTER, row.document, 'ticket document'), version: Number(row.version) };
    });
  }

  async commit(request: CommitRequest): Promise<CommitResult> {
    this.assertOpen();
    validateCommitRequest(ADAPTER, request);
    const key = this.ticketKey(request.ticketId);
    const document = encodeStoredJson(ADAPTER, request.ticket, 'the ticket');
    const events = encodeStoredJson(ADAPTER, request.events, 'the events');
    const { expectedVersion } = request;
    return this.run('commit', async (): Promise<CommitResult> => {
      if (expectedVersion !== null) {
        const [row] = await this.query(this.statements.update, [this.namespace, key, expectedVersion, document, events]);
        if (row?.committed != null) return { ok: true, version: Number(row.committed) };
        return { ok: false, reason: 'conflict', version: row?.current == null ? null : Number(row.current) };
      }
      const [row] = await this.query(this.statements.create, [this.namespace, key, request.ticketId, document, events]);
      if (row?.committed != null) return { ok: true, version: Number(row.committed) };
      if (row?.current != null) return { ok: false, reason: 'conflict', version: Number(row.current) };
      // Lost a creation race to a commit the statement's snapshot could not see yet.
      const [current] = await this.query(this.statements.version, [this.namespace, key]);
      return { ok: false, reason: 'conflict', version: current === undefined ? null : Number(current.version) };
    });
  }

  async events(ticketId: string, options: EventsQuery = {}): Promise<StoredTicketEvent[]> {
    this.assertOpen();
    const key = this.ticketKey(ticketId);
    validateEventsQuery(ADAPTER, options);
    return this.run('events', async () => {
      const rows = await this.query(this.statements.events, [this.namespace, key, options.after ?? 0, options.limit ?? null]);
      return rows.map((row) => ({ ...decodeStoredObject<Omit<StoredTicketEvent, 'seq'>>(ADAPTER, row.event, 'event'), seq: Number(row.seq) }));
    });
  }

  async delete(ticketId: string): Promise<void> {
    this.assertOpen();
    const key = this.ticketKey(ticketId);
    await this.run('delete', () => this.query(this.statements.delete, [this.namespace, key]));
  }

  /** Ends the pool the store created; a `pool` passed in stays open. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.ownedPool?.end();
      } catch (error) {
        throw toPostgresStoreError(error, 'close', this.secrets);
      }
    })();
    return this.closing;
  }

  private async run<T>(action: string, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.ensureSchema();
        return await work();
      } catch (error) {
        // The tables were dropped under us (a reset database): the failed statement wrote
        // nothing, so create them again and retry once; the store starts empty (T2).
        const dropped = ['42P01', '3F000'].includes((error as { code?: string } | null)?.code ?? '');
        if (dropped) this.schemaReady = null;
        if (dropped && attempt === 1) continue;
        throw toPostgresStoreError(error, action, this.secrets);
      }
    }
  }

  private ensureSchema(): Promise<void> {
    this.schemaReady ??= ensurePostgresSchema(this.pool, this.tables, this.queryTimeoutMs).catch((error: unknown) => {
      this.schemaReady = null;
      throw error;
    });
    return this.schemaReady;
  }

  private async query(text: string, values: unknown[]): Promise<Row[]> {
    const result = await this.pool.query({ text, values, query_timeout: this.queryTimeoutMs });
    return result.rows;
  }

  /** The primary key part of a ticket id: its SHA-256 (see the schema). */
  private ticketKey(ticketId: string): Buffer {
    validateTicketId(ADAPTER, ticketId);
    return createHash('sha256').update(ticketId, 'utf8').digest();
  }

  private assertOpen(): void {
    if (this.closing) throw new StoreError({ kind: 'unavailable', adapter: ADAPTER, message: 'the store is closed' });
  }
}

/** A `pg.Pool` keeps its configuration in `options`: keep its password out of errors too. */
function secretsOfPool(pool: PostgresPool): string[] {
  const options = (pool as { options?: { password?: unknown; connectionString?: unknown } }).options;
  const secrets = typeof options?.connectionString === 'string' ? passwordsOf(options.connectionString) : [];
  if (typeof options?.password === 'string' && options.password.length > 0) secrets.push(options.password);
  return secrets;
}

/** The connection string's password, raw and decoded, so that neither reaches an error. */
function passwordsOf(connectionString: string): string[] {
  let raw: string | undefined;
  try {
    raw = new URL(connectionString).password;
  } catch {
    raw = /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:(.*)@[^@]*$/is.exec(connectionString)?.[1];
  }
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // not percent-encoded: the raw form is the password
  }
  return [...new Set([raw, decoded])];
}
