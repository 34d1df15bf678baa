/**
 * Options of {@link PostgresTicketStore}: give either a `connectionString` (the store
 * creates a `pg.Pool` and ends it in `close()`) or a `pool` the application owns (the store
 * never ends it).
 *
 * @example
 * ```ts
 * new PostgresTicketStore({ connectionString: process.env.DATABASE_URL, namespace: 'support' });
 * new PostgresTicketStore({ pool: appPool, schema: 'ticketflow' }); // the app keeps control of pooling
 * ```
 */
export type PostgresTicketStoreOptions = PostgresConnectionStringOptions | PostgresPoolOptions;

/** Options shared by both forms of {@link PostgresTicketStoreOptions}. */
export interface PostgresCommonOptions {
  /**
   * Keeps several apps or tenants apart on one database: it is part of every primary key,
   * so documents, events and deletes of one namespace never touch another. At most 256
   * characters, without NUL or lone surrogates. Default `''`.
   */
  namespace?: string | undefined;
  /**
   * The PostgreSQL schema holding the tables (`ticketflow_tickets`, `ticketflow_events`,
   * `ticketflow_meta`). Created if missing. Default `'public'`.
   */
  schema?: string | undefined;
  /**
   * Longest wait for one query's answer, in ms; then the call fails as `unavailable` and
   * the connection is dropped. A `commit` that timed out this way has `outcome: 'unknown'`:
   * it may still land. With a `connectionString` it is also the server-side
   * `statement_timeout`. Default 10 000.
   */
  queryTimeoutMs?: number | undefined;
}

/** The store creates and owns a `pg.Pool`. */
export interface PostgresConnectionStringOptions extends PostgresCommonOptions {
  /** `postgres://user:password@host:port/database`. The password never appears in errors. */
  connectionString: string;
  /** Longest wait for a new connection (refused, or a server that never answers), in ms. Default 3 000. */
  connectTimeoutMs?: number | undefined;
  /** Most connections the pool opens. Default 10. */
  maxConnections?: number | undefined;
  pool?: never | undefined;
}

/**
 * The application passes a pool it owns, e.g. a `pg.Pool`: its connection settings and
 * timeouts apply (set `connectionTimeoutMillis` on it), `close()` leaves it open.
 */
export interface PostgresPoolOptions extends PostgresCommonOptions {
  pool: PostgresPool;
  connectionString?: never | undefined;
  connectTimeoutMs?: never | undefined;
  maxConnections?: never | undefined;
}

/**
 * The part of a `pg.Pool` (or `pg.Client`) the store uses. Every call is a single
 * statement with parameters, except the schema creation, which is one parameterless
 * multi-statement script (run as one implicit transaction by PostgreSQL).
 *
 * `connect` is optional: with it (a `pg.Pool` has it) the store checks a connection out
 * before sending a statement, and so knows whether a failure happened before anything
 * reached the server (`StoreError.outcome: 'not_applied'`) or after (`'unknown'`).
 */
export interface PostgresPool {
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  connect?(): Promise<PostgresPoolClient>;
}

/** A connection checked out of a {@link PostgresPool} (`pg.PoolClient`). */
export interface PostgresPoolClient {
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  /** Returns the connection; with an error (or `true`), the pool discards it. */
  release(error?: Error | boolean): void;
}

/** A query as the store sends it (`pg`'s query config object). */
export interface PostgresQueryConfig {
  text: string;
  values?: unknown[] | undefined;
  /** Client-side read timeout in ms (honoured by `pg`). */
  query_timeout?: number | undefined;
}

/** What the store reads from a query's result. */
export interface PostgresQueryResult {
  rows: Record<string, unknown>[];
}
