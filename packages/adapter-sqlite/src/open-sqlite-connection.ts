import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ResolvedSqliteOptions } from './check-sqlite-options.js';
import { enableWal } from './enable-wal.js';
import { retryWhileBusy, SYNC_BUSY_WAIT_MS } from './retry-while-busy.js';
import { ensureSqliteSchema } from './sqlite-schema.js';
import { prepareSqliteStatements } from './sqlite-statements.js';
import type { SqliteStatements } from './sqlite-statements.js';
import type { SqliteDatabase } from './sqlite-ticket-store-options.js';

/** An open database with the store's statements. */
export interface SqliteConnection {
  database: SqliteDatabase;
  statements: SqliteStatements;
  /** Only a database the store opened is closed by it. */
  owned: Database.Database | null;
  /** Whether the file is in WAL mode: deletes then truncate the WAL (erasure). */
  wal: boolean;
}

/**
 * Opens the file (or takes the database passed in), turns on `secure_delete` so erased
 * rows are overwritten with zeros (DESIGN P3), switches an owned file to WAL, creates or
 * upgrades the schema, and prepares the statements. Waiting for another process's lock is
 * asynchronous (`retryWhileBusy`), within the busy timeout.
 */
export async function openSqliteConnection(options: ResolvedSqliteOptions): Promise<SqliteConnection> {
  let owned: Database.Database | null = null;
  try {
    if (options.database === undefined) {
      const filename = options.filename!;
      if (filename !== ':memory:') mkdirSync(dirname(resolve(filename)), { recursive: true });
      owned = new Database(filename, { timeout: Math.min(SYNC_BUSY_WAIT_MS, options.busyTimeoutMs) });
      if (filename !== ':memory:') await retryWhileBusy(() => enableWal(owned!), options.busyTimeoutMs);
    }
    const database: SqliteDatabase = owned ?? options.database!;
    database.exec('PRAGMA secure_delete = ON');
    await retryWhileBusy(() => ensureSqliteSchema(database), options.busyTimeoutMs);
    const mode = database.prepare('PRAGMA journal_mode').get() as { journal_mode?: unknown } | undefined;
    return { database, statements: prepareSqliteStatements(database), owned, wal: String(mode?.journal_mode).toLowerCase() === 'wal' };
  } catch (error) {
    owned?.close();
    throw error;
  }
}
