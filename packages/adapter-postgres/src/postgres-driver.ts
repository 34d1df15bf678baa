import { createHash } from 'node:crypto';
import pg from 'pg';
import { mergeTicketLists, secretsOfUrl, ticketIndexOf } from '@ticketflow/core/adapter';
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
import type { ResolvedPostgresOptions } from './check-postgres-options.js';
import { secretsOfPool } from './postgres-secrets.js';
import { ensurePostgresSchema, postgresTables } from './postgres-schema.js';
import type { PostgresTables } from './postgres-schema.js';
import { postgresStatements } from './postgres-statements.js';
import type { PostgresStatements } from './postgres-statements.js';
import type { PostgresPool, PostgresQueryResult } from './postgres-ticket-store-options.js';
import { toPostgresStoreError } from './to-postgres-store-error.js';
import type { PostgresCallPhase } from './to-postgres-store-error.js';

type Row = Record<string, unknown>;
type Query = (text: string, values: unknown[]) => Promise<Row[]>;

const PURGE_BATCH = 500;
const DROPPED_TABLES = new Set(['42P01', '3F000']);

/**
 * The PostgreSQL backend of `PostgresTicketStore`. Each operation is one statement, so one
 * round trip: a commit's compare-and-set, index columns and event append are a single
 * statement (data-modifying CTEs).
 */
export class PostgresDriver implements TicketStoreDriver {
  readonly adapter = 'postgres';
  readonly pool: PostgresPool;
  /** The pool the store created, ended by `close`; null for a pool passed in. */
  readonly ownedPool: pg.Pool | null;
  private readonly tables: PostgresTables;
  private readonly statements: PostgresStatements;
  private readonly secrets: string[];
  private schemaReady: Promise<void> | null = null;
  /** Set once the schema check succeeded: operations then skip it, until a statement finds the tables dropped. */
  private schemaChecked = false;

  constructor(private readonly options: ResolvedPostgresOptions) {
    this.tables = postgresTables(options.schema);
    this.statements = postgresStatements(this.tables);
    if (options.pool !== undefined) {
      this.pool = options.pool;
      this.ownedPool = null;
      this.secrets = secretsOfPool(options.pool);
      return;
    }
    this.secrets = secretsOfUrl(options.connectionString);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.queryTimeoutMs,
      max: options.maxConnections,
      keepAlive: true,
      application_name: 'ticketflow',
    });
    // An idle connection that dies (server restart, admin shutdown) must not crash the
    // process: the pool drops it and the next query opens a new one. A connection that dies
    // while checked out emits 'error' on the client itself (pg-pool listens only while idle).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    this.pool = pool;
    this.ownedPool = pool;
  }

  load(ticketId: string): Promise<StoredTicketRow | null> {
    return this.run('load', async (query) => {
      const [row] = await query(this.statements.load, [this.options.namespace, ticketKey(ticketId)]);
      return row === undefined ? null : { document: row.document, version: Number(row.version) };
    });
  }

  commit(commit: EncodedCommit): Promise<CommitResult> {
    return this.run('commit', async (query) => {
      const key = ticketKey(commit.ticketId);
      const { index } = commit;
      const values = [commit.document, `[${commit.events.join(',')}]`, index.updatedAt, index.status, index.claimExpiresAt, index.incarnation];
      if (commit.expectedVersion === null) return this.create(query, key, commit.ticketId, values);
      for (let attempt = 1; ; attempt += 1) {
        const [row] = await query(this.statements.update, [this.options.namespace, key, commit.expectedVersion, ...values]);
        if (row?.committed != null) return { ok: true, version: Number(row.committed) };
        // Lost: nothing of this commit was applied, whatever happens to the statements below.
        const lost = (error: unknown) => {
          throw toPostgresStoreError(error, 'commit', this.secrets, 'connect');
        };
        // A new statement sees what the winner left.
        const [head] = await query(this.statements.version, [this.options.namespace, key]).catch(lost);
        const current = head === undefined ? null : Number(head.version);
        // A row an older adapter wrote has no stored incarnation: read it from its document once.
        if (current !== commit.expectedVersion || head?.unset !== true || attempt > 1) return { ok: false, reason: 'conflict', version: current };
        await this.fillIncarnation(query, key, current).catch(lost);
      }
    });
  }

  events(ticketId: string, range: { after: number; limit: number | null }): Promise<StoredEventRow[]> {
    return this.run('events', async (query) => {
      const rows = await query(this.statements.events, [this.options.namespace, ticketKey(ticketId), range.after, range.limit]);
      return rows.map((row) => ({ seq: Number(row.seq), event: row.event }));
    });
  }

  async delete(ticketId: string): Promise<void> {
    await this.run('delete', (query) => query(this.statements.delete, [this.options.namespace, ticketKey(ticketId)]));
  }

  list(query: ResolvedListQuery): Promise<TicketSummary[]> {
    return this.run('list', async (run) => {
      const { text, values } = this.statements.list(this.options.namespace, query);
      const rows = (await run(text, values)).map(toSummary);
      return mergeTicketLists([rows], query.limit);
    });
  }

  purge(options: ResolvedPurgeOptions): Promise<number> {
    return this.run('purge', async (query) => {
      let purged = 0;
      for (;;) {
        const batch = Math.min(PURGE_BATCH, options.limit === null ? PURGE_BATCH : options.limit - purged);
        if (batch <= 0) return purged;
        const [row] = await query(this.statements.purge, [this.options.namespace, options.before, batch]);
        const deleted = Number(row?.purged ?? 0);
        purged += deleted;
        if (deleted < batch) return purged;
      }
    });
  }

  async close(): Promise<void> {
    await this.ownedPool?.end();
  }

  toStoreError(error: unknown, operation: StoreOperation): StoreError {
    return toPostgresStoreError(error, operation, this.secrets);
  }

  private async create(query: Query, key: Buffer, ticketId: string, values: unknown[]): Promise<CommitResult> {
    const [row] = await query(this.statements.create, [this.options.namespace, key, ticketId, ...values]);
    if (row?.committed != null) return { ok: true, version: Number(row.committed) };
    if (row?.current != null) return { ok: false, reason: 'conflict', version: Number(row.current) };
    // Lost a creation race to a commit the statement's snapshot could not see yet.
    const [current] = await query(this.statements.version, [this.options.namespace, key]);
    return { ok: false, reason: 'conflict', version: current === undefined ? null : Number(current.version) };
  }

  private async fillIncarnation(query: Query, key: Buffer, version: number): Promise<void> {
    const [row] = await query(this.statements.legacyDocument, [this.options.namespace, key]);
    if (row === undefined) return;
    let document: unknown = null;
    try {
      document = JSON.parse(String(row.document));
    } catch {
      // unreadable: the default index, as the schema upgrade gives it
    }
    await query(this.statements.setIncarnation, [this.options.namespace, key, version, ticketIndexOf(document).incarnation]);
  }

  /**
   * Runs one operation: makes sure the schema is there (tables dropped under a running
   * store are created again, once), then the work, mapping failures with the phase they
   * reached (nothing of the operation is sent before the schema is ready).
   */
  private async run<T>(operation: StoreOperation, work: (query: Query) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (!this.schemaChecked) {
        try {
          await this.ensureSchema();
        } catch (error) {
          throw toPostgresStoreError(error, operation, this.secrets, 'connect');
        }
      }
      let phase: PostgresCallPhase = 'connect';
      try {
        return await work((text, values) => this.query(text, values, (reached) => (phase = reached)));
      } catch (error) {
        const dropped = DROPPED_TABLES.has((error as { code?: string } | null)?.code ?? '');
        if (dropped) {
          this.schemaReady = null;
          this.schemaChecked = false;
        }
        // The failed statement wrote nothing: create the tables again and retry once (T2).
        if (dropped && attempt === 1) continue;
        throw toPostgresStoreError(error, operation, this.secrets, phase);
      }
    }
  }

  private ensureSchema(): Promise<void> {
    if (this.schemaReady) return this.schemaReady;
    const ready: Promise<void> = ensurePostgresSchema(this.pool, this.tables, this.options.queryTimeoutMs).then(
      // Only the check still current counts (tables dropped meanwhile started another one).
      () => void (this.schemaChecked = this.schemaReady === ready),
      (error: unknown) => {
        if (this.schemaReady === ready) this.schemaReady = null;
        throw error;
      },
    );
    this.schemaReady = ready;
    return ready;
  }

  /** One statement; `reached` learns when the connection is held and the statement goes out. */
  private async query(text: string, values: unknown[], reached: (phase: PostgresCallPhase) => void): Promise<Row[]> {
    const config = { text, values, query_timeout: this.options.queryTimeoutMs };
    if (typeof this.pool.connect !== 'function') {
      reached('unknown');
      return (await this.pool.query(config)).rows;
    }
    const client = await this.pool.connect();
    reached('query');
    let result: PostgresQueryResult;
    try {
      result = await client.query(config);
    } catch (error) {
      // As pg's own pool.query does: after any failure the connection is discarded (a timeout,
      // a broken socket or a FATAL error such as an admin shutdown leaves it unusable).
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    client.release();
    return result.rows;
  }
}

/** The primary key part of a ticket id: its SHA-256 (see the schema). */
function ticketKey(ticketId: string): Buffer {
  return createHash('sha256').update(ticketId, 'utf8').digest();
}

function toSummary(row: Row): TicketSummary {
  return {
    ticketId: String(row.ticket_id),
    version: Number(row.version),
    status: String(row.status),
    updatedAt: String(row.updated_at),
    claimExpiresAt: row.claim_expires_at == null ? null : String(row.claim_expires_at),
  };
}
