/**
 * Options of {@link SqliteTicketStore}: give either a `filename` (the store opens and owns
 * the database) or a `database` the application already opened (the store never closes it).
 *
 * @example
 * ```ts
 * new SqliteTicketStore({ filename: './data/tickets.db' });                  // owned by the store
 * new SqliteTicketStore({ database: new Database('app.db'), namespace: 'support' }); // owned by the app
 * ```
 */
export type SqliteTicketStoreOptions = SqliteFileOptions | SqliteDatabaseOptions;

/** Options shared by both forms of {@link SqliteTicketStoreOptions}. */
export interface SqliteCommonOptions {
  /**
   * Keeps several apps or tenants apart in one database file: documents, events, lists,
   * purges and deletes of one namespace never touch another. Any well-formed string
   * without NUL. Default `''`.
   */
  namespace?: string | undefined;
  /**
   * The longest a call waits for another connection or process holding the write lock
   * before failing with `StoreError` kind `unavailable` (nothing applied). The wait is
   * asynchronous — short synchronous tries of a few milliseconds, retried with backoff — so
   * the event loop stays responsive while another process holds the lock. Default 5 000 ms.
   */
  busyTimeoutMs?: number | undefined;
}

/** The store opens the file itself, in WAL mode with a busy timeout, and closes it in `close()`. */
export interface SqliteFileOptions extends SqliteCommonOptions {
  /**
   * Path of the database file. Missing directories are created. `':memory:'` keeps the
   * data in this process only (it does not survive `close()`).
   */
  filename: string;
  database?: never | undefined;
}

/**
 * The application passes a connection it owns, e.g. a better-sqlite3 `Database`. The store
 * creates its tables in it and turns on `secure_delete` (erasure, DESIGN P3), but leaves its
 * other settings alone: enable WAL (`database.pragma('journal_mode = WAL')`) yourself when
 * several processes share the file, and keep its own busy timeout short (better-sqlite3's
 * `timeout` option, e.g. `{ timeout: 5 }`): each try waits that long synchronously, and
 * the store retries asynchronously within `busyTimeoutMs`.
 */
export interface SqliteDatabaseOptions extends SqliteCommonOptions {
  database: SqliteDatabase;
  filename?: never | undefined;
}

/**
 * The part of a better-sqlite3 `Database` the store uses. Any synchronous driver with the
 * same shape works.
 */
export interface SqliteDatabase {
  /** Compiles one SQL statement. */
  prepare(source: string): SqliteStatement;
  /** Runs SQL text without parameters (transaction control and schema statements only). */
  exec(source: string): unknown;
}

/** A prepared statement of {@link SqliteDatabase}. Parameters are positional. */
export interface SqliteStatement {
  run(...parameters: unknown[]): unknown;
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
}
