import type { SqliteDatabase } from './sqlite-ticket-store-options.js';

/**
 * Switches a database file to WAL mode, as several processes opening a new file at once
 * need. Changing the journal mode takes an exclusive lock and SQLite does not always run
 * the busy handler for it, so a concurrent opener can get `SQLITE_BUSY` at once: the caller
 * retries it (`retryWhileBusy`). A file already in WAL mode (the mode persists) is left as is.
 */
export function enableWal(database: SqliteDatabase): void {
  const mode = database.prepare('PRAGMA journal_mode').get() as { journal_mode?: unknown } | undefined;
  if (String(mode?.journal_mode).toLowerCase() === 'wal') return;
  database.exec('PRAGMA journal_mode = WAL');
}
