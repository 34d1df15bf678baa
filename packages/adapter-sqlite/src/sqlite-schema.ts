import { StoreError } from '@ticketflow/core';
import type { SqliteDatabase } from './sqlite-ticket-store-options.js';
import { runInImmediateTransaction } from './run-in-immediate-transaction.js';

/** The schema this version of the adapter writes. A file with a newer one is refused. */
export const SQLITE_SCHEMA_VERSION = 1;

const TABLES = ['ticketflow_meta', 'ticketflow_tickets', 'ticketflow_events'];

// Version 1. Later versions add numbered steps after it; a step never edits an earlier one.
const CREATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS ticketflow_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ticketflow_tickets (
  namespace  TEXT    NOT NULL,
  ticket_id  TEXT    NOT NULL,
  document   TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  last_seq   INTEGER NOT NULL,
  updated_at TEXT    NOT NULL,
  PRIMARY KEY (namespace, ticket_id)
);
CREATE TABLE IF NOT EXISTS ticketflow_events (
  namespace TEXT    NOT NULL,
  ticket_id TEXT    NOT NULL,
  seq       INTEGER NOT NULL,
  event     TEXT    NOT NULL,
  PRIMARY KEY (namespace, ticket_id, seq)
);
INSERT INTO ticketflow_meta (name, value) VALUES ('schema_version', '${SQLITE_SCHEMA_VERSION}')
  ON CONFLICT (name) DO NOTHING;
`;

/**
 * Creates the tables if needed and checks the schema version. Safe when several processes
 * open the same file at once: the creation runs under the write lock (BEGIN IMMEDIATE),
 * and a file that already has the schema is only read.
 */
export function ensureSqliteSchema(database: SqliteDatabase): void {
  let version = hasAllTables(database) ? readSchemaVersion(database) : null;
  if (version === null) {
    version = runInImmediateTransaction(database, () => {
      database.exec(CREATE_SCHEMA);
      return readSchemaVersion(database);
    });
  }
  if (version === null || version > SQLITE_SCHEMA_VERSION) {
    throw new StoreError({
      kind: 'corrupt',
      adapter: 'sqlite',
      retryable: false,
      message: `the database has ticketflow schema version ${String(version)}, this adapter understands up to ${SQLITE_SCHEMA_VERSION}: upgrade @ticketflow/adapter-sqlite`,
    });
  }
}

function hasAllTables(database: SqliteDatabase): boolean {
  const placeholders = TABLES.map(() => '?').join(', ');
  const row = database
    .prepare(`SELECT count(*) AS found FROM sqlite_master WHERE type = 'table' AND name IN (${placeholders})`)
    .get(...TABLES) as { found: number | bigint };
  return Number(row.found) === TABLES.length;
}

function readSchemaVersion(database: SqliteDatabase): number | null {
  const row = database.prepare(`SELECT value FROM ticketflow_meta WHERE name = 'schema_version'`).get() as { value: unknown } | undefined;
  if (row === undefined) return null;
  const version = Number(row.value);
  if (Number.isSafeInteger(version) && version > 0) return version;
  throw new StoreError({ kind: 'corrupt', adapter: 'sqlite', retryable: false, message: `unreadable ticketflow schema version ${JSON.stringify(row.value)}` });
}
