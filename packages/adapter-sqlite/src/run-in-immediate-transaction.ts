import type { SqliteDatabase } from './sqlite-ticket-store-options.js';

/**
 * Runs `work` inside `BEGIN IMMEDIATE … COMMIT`. IMMEDIATE takes the write lock up front,
 * waiting up to the busy timeout, so two processes never both read a version and then
 * race to write it (a deferred transaction would fail with SQLITE_BUSY_SNAPSHOT instead).
 */
export function runInImmediateTransaction<T>(database: SqliteDatabase, work: () => T): T {
  database.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      database.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (e.g. after SQLITE_FULL or an I/O error): nothing left to undo.
    }
    throw error;
  }
}
