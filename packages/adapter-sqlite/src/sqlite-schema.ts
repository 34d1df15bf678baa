import { StoreError, ticketIndexOf } from '@ticketflow/core/adapter';
import type { SqliteDatabase } from './sqlite-ticket-store-options.js';
import { runInImmediateTransaction } from './run-in-immediate-transaction.js';

/** The schema this version of the adapter writes. A file with a newer one is refused. */
export const SQLITE_SCHEMA_VERSION = 2;

const TABLES = ['ticketflow_meta', 'ticketflow_tickets', 'ticketflow_events'];

// Version 1: documents, versions and events.
const VERSION_1 = `
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
INSERT INTO ticketflow_meta (name, value) VALUES ('schema_version', '1')
  ON CONFLICT (name) DO NOTHING;
`;

// Version 2: what list and purge read (ticketIndexOf), and the incarnation commits check.
// updated_at now holds the document's updatedAt (canonical ISO text), not the commit time.
const VERSION_2_COLUMNS = `
ALTER TABLE ticketflow_tickets ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE ticketflow_tickets ADD COLUMN claim_expires_at TEXT;
ALTER TABLE ticketflow_tickets ADD COLUMN incarnation TEXT;
`;
const VERSION_2_INDEXES = `
CREATE INDEX IF NOT EXISTS ticketflow_tickets_by_updated ON ticketflow_tickets (namespace, updated_at, ticket_id);
CREATE INDEX IF NOT EXISTS ticketflow_tickets_by_status ON ticketflow_tickets (namespace, status, updated_at, ticket_id);
CREATE INDEX IF NOT EXISTS ticketflow_tickets_by_claim ON ticketflow_tickets (namespace, claim_expires_at) WHERE claim_expires_at IS NOT NULL;
UPDATE ticketflow_meta SET value = '2' WHERE name = 'schema_version';
`;

/**
 * Creates the tables if needed, upgrades an older schema and checks the version. Safe when
 * several processes open the same file at once: creation and upgrades run under the write
 * lock (BEGIN IMMEDIATE) and re-read the version there; a file already current is only read.
 * Throws `SQLITE_BUSY` while another process holds the lock (the caller retries).
 */
export function ensureSqliteSchema(database: SqliteDatabase): void {
  let version = hasAllTables(database) ? readSchemaVersion(database) : null;
  if (version === null || version < SQLITE_SCHEMA_VERSION) {
    version = runInImmediateTransaction(database, () => {
      let current = hasAllTables(database) ? readSchemaVersion(database) : null;
      if (current === null) {
        database.exec(VERSION_1);
        current = readSchemaVersion(database);
      }
      if (current === 1) {
        upgradeToVersion2(database);
        current = readSchemaVersion(database);
      }
      return current;
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

/** Adds the index columns, fills them from each stored document with `ticketIndexOf`, adds the indexes. */
function upgradeToVersion2(database: SqliteDatabase): void {
  database.exec(VERSION_2_COLUMNS);
  const rows = database.prepare('SELECT rowid AS row, document FROM ticketflow_tickets').all() as { row: number | bigint; document: string }[];
  const update = database.prepare('UPDATE ticketflow_tickets SET status = ?, updated_at = ?, claim_expires_at = ?, incarnation = ? WHERE rowid = ?');
  for (const { row, document } of rows) {
    const index = ticketIndexOf(parseOrNull(document));
    update.run(index.status, index.updatedAt, index.claimExpiresAt, index.incarnation, row);
  }
  database.exec(VERSION_2_INDEXES);
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // a corrupt row is reported when it is loaded; here it gets the default index
  }
}

function hasAllTables(database: SqliteDatabase): boolean {
  const placeholders = TABLES.map(() => '?').join(', ');
  const row = database.prepare(`SELECT count(*) AS found FROM sqlite_master WHERE type = 'table' AND name IN (${placeholders})`).get(...TABLES) as {
    found: number | bigint;
  };
  return Number(row.found) === TABLES.length;
}

function readSchemaVersion(database: SqliteDatabase): number | null {
  const row = database.prepare(`SELECT value FROM ticketflow_meta WHERE name = 'schema_version'`).get() as { value: unknown } | undefined;
  if (row === undefined) return null;
  const version = Number(row.value);
  if (Number.isSafeInteger(version) && version > 0) return version;
  throw new StoreError({ kind: 'corrupt', adapter: 'sqlite', retryable: false, message: `unreadable ticketflow schema version ${JSON.stringify(row.value)}` });
}
