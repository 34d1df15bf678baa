import type Database from 'better-sqlite3';

/**
 * Switches a database file to WAL mode, as several processes opening a new file at once
 * need. Changing the journal mode takes an exclusive lock and SQLite does not always run
 * the busy handler for it, so a concurrent opener can get `SQLITE_BUSY` at once: retry it,
 * within the busy timeout. A file already in WAL mode (the mode persists) is left as is.
 */
export function enableWal(database: Database.Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (String(database.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') return;
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      sleepSync(Math.min(50, 2 ** attempt) + Math.random() * 5);
    }
  }
}

/** Blocks the thread (better-sqlite3 is synchronous: waiting on a lock blocks anyway). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
