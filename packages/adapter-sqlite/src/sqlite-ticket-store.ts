import { GuardedTicketStore } from '@ticketflow/core/adapter';
import { checkSqliteOptions } from './check-sqlite-options.js';
import { SqliteDriver } from './sqlite-driver.js';
import type { SqliteTicketStoreOptions } from './sqlite-ticket-store-options.js';

/**
 * A {@link TicketStore} on one SQLite file (better-sqlite3): the embedded default, with no
 * set-up. Several processes may share the file: a commit is one `BEGIN IMMEDIATE`
 * transaction doing the compare-and-set on the version and incarnation, the index update
 * and the event append, and WAL mode lets readers go on while one process writes.
 *
 * The file is opened, and its schema created or upgraded, on the first operation. Waiting
 * for another process's lock never blocks the event loop for more than a few milliseconds
 * at a time: the store retries asynchronously for up to `busyTimeoutMs`, then fails with
 * `StoreError` kind `unavailable` (outcome `not_applied`). Deletes and purges overwrite the
 * erased rows (`secure_delete`) and truncate the WAL (DESIGN P3).
 *
 * @example
 * ```ts
 * const store = new SqliteTicketStore({ filename: './data/tickets.db', namespace: 'support' });
 * const agent = createAgent({ store, llm, intents, workflows });
 * ```
 * @throws {ConfigurationError} from the constructor, for unknown or unusable options
 * (including `ttlMs`: retention is `purge`).
 */
export class SqliteTicketStore extends GuardedTicketStore {
  constructor(options: SqliteTicketStoreOptions) {
    super(new SqliteDriver(checkSqliteOptions(options)));
  }
}
