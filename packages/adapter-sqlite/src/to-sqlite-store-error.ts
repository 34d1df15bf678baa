import { StoreError } from '@ticketflow/core/adapter';
import type { StoreErrorKind, StoreOperation } from '@ticketflow/core/adapter';

// Primary SQLite result codes (the part before the first extended suffix) and their kind.
const KIND_BY_CODE: Record<string, StoreErrorKind> = {
  SQLITE_BUSY: 'unavailable',
  SQLITE_LOCKED: 'unavailable',
  SQLITE_IOERR: 'unavailable',
  SQLITE_CANTOPEN: 'unavailable',
  SQLITE_FULL: 'unavailable',
  SQLITE_READONLY: 'unavailable',
  SQLITE_PROTOCOL: 'unavailable',
  SQLITE_NOMEM: 'unavailable',
  SQLITE_PERM: 'unavailable',
  SQLITE_AUTH: 'unavailable',
  SQLITE_INTERRUPT: 'unavailable',
  SQLITE_NOLFS: 'unavailable',
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_NOTADB: 'corrupt',
  SQLITE_FORMAT: 'corrupt',
  SQLITE_SCHEMA: 'corrupt',
  SQLITE_ERROR: 'corrupt',
  SQLITE_TOOBIG: 'invalid',
  SQLITE_MISMATCH: 'invalid',
  SQLITE_CONSTRAINT: 'invalid',
  SQLITE_RANGE: 'invalid',
};

const WRITES: ReadonlySet<StoreOperation> = new Set(['commit', 'delete', 'purge']);

/**
 * Maps anything better-sqlite3 throws to a {@link StoreError}. `SQLITE_ERROR` is SQLite's
 * generic code; here it means the tables are not what the adapter created (dropped or
 * altered by hand), hence `corrupt`.
 *
 * Outcome: a SQLite transaction either commits or rolls back before the call returns, so a
 * failure is `not_applied` — except an I/O error (`SQLITE_IOERR*`) during a write, where
 * the disk may hold the commit even though the call failed: `unknown`.
 */
export function toSqliteStoreError(error: unknown, operation: StoreOperation): StoreError {
  if (StoreError.isInstance(error)) return error;
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : undefined;
  const primary = code?.match(/^SQLITE_[A-Z]+/)?.[0];
  const kind: StoreErrorKind = primary === undefined ? (error instanceof RangeError ? 'invalid' : 'unavailable') : (KIND_BY_CODE[primary] ?? 'unavailable');
  const detail = error instanceof Error ? error.message : String(error);
  const outcome = primary === 'SQLITE_IOERR' && WRITES.has(operation) ? 'unknown' : 'not_applied';
  return new StoreError({ kind, adapter: 'sqlite', message: `${operation} failed: ${detail}${code ? ` (${code})` : ''}`, cause: error, outcome });
}
