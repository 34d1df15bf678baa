import Database from 'better-sqlite3';
import { ticketIndexOf } from '@ticketflow/core/adapter';
import { floorBytes, lostFloor, type FloorFactory } from './floor.js';

/**
 * Parts of the adapter's design a SQLite floor can add, one at a time, to measure what each
 * costs (`src/gap/`). The published floor has none of them.
 */
export interface SqliteFloorFeatures {
  /** Rows keyed by (namespace, ticket_id), as the adapter keys them. */
  namespaced?: boolean;
  /** status, updated_at, claim_expires_at and incarnation written by every commit, with the adapter's three indexes on them. */
  indexed?: boolean;
  /**
   * The adapter's transaction shape: `BEGIN IMMEDIATE` by `exec`, one `UPDATE … WHERE version = ?
   * AND incarnation = ? RETURNING last_seq` (the compare-and-set, which numbers the events), the
   * event inserts, `COMMIT`. Needs `namespaced` and `indexed`.
   */
  adapterTransaction?: boolean;
  /** `PRAGMA secure_delete = ON` (the adapter's erasure guarantee: freed pages are zeroed). */
  secureDelete?: boolean;
}

/**
 * SQLite floor: its own better-sqlite3 connection to the same file as the store, opened as
 * the adapter opens a file (busy timeout, WAL), with its own tables `<prefix>tickets (id TEXT
 * PRIMARY KEY, version, last_seq, document TEXT)` and `<prefix>events (ticket_id, seq,
 * event TEXT, PRIMARY KEY (ticket_id, seq))`. A load is one prepared `SELECT` and
 * `JSON.parse`; each write is one `transaction.immediate()`: `UPDATE … WHERE id = ? AND
 * version = ?` (the compare-and-set: `changes` must be 1) and one prepared `INSERT` per event.
 */
export function openSqliteFloor(
  filename: string,
  prefix = 'floor_',
  features: SqliteFloorFeatures = {},
  wrap: (database: Database.Database) => Database.Database = (database) => database,
): { floor: FloorFactory; close(): void } {
  const owned = new Database(filename, { timeout: 5 });
  const database = wrap(owned);
  database.pragma('journal_mode = WAL');
  if (features.secureDelete) database.pragma('secure_delete = ON');
  const sql = sqliteFloorSql(prefix, features);
  database.exec(sql.create);
  const key = (ticketId: string) => (features.namespaced ? ['bench', ticketId] : [ticketId]);
  const load = database.prepare(sql.load);
  const advance = features.adapterTransaction ? database.prepare(sql.advance) : null;
  const update = database.prepare(sql.update);
  const insertEvent = database.prepare(sql.insertEvent);
  const writeLocked = (ticketId: string, version: number, seq: number, document: string, events: string[], index: unknown[]) => {
    const changed = update.run(document, seq + events.length, ...index, ...key(ticketId), version).changes;
    if (changed !== 1) throw lostFloor('sqlite');
    for (const event of events) insertEvent.run(...key(ticketId), (seq += 1), event);
  };
  const write = database.transaction(writeLocked);
  const writeAsAdapter = (ticketId: string, version: number, _seq: number, document: string, events: string[], index: unknown[]) => {
    database.exec('BEGIN IMMEDIATE');
    try {
      const advanced = advance!.get(document, events.length, ...index, ...key(ticketId), version, index[3]) as { last_seq: number } | undefined;
      if (advanced === undefined) throw lostFloor('sqlite');
      let seq = advanced.last_seq - events.length;
      for (const event of events) insertEvent.run(...key(ticketId), (seq += 1), event);
      database.exec('COMMIT');
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
  };
  const floor: FloorFactory = async (ticketId, turns) => {
    const first = turns[0]![0]!;
    database.prepare(sql.insert).run(...key(ticketId), floorBytes(first).document, ...indexValues(features, first.ticket));
    return (index) => {
      const row = load.get(...key(ticketId)) as { document: string; version: number; last_seq: number };
      JSON.parse(row.document);
      let { version, last_seq: seq } = row;
      for (const commit of turns[index % turns.length]!) {
        const { document, events } = floorBytes(commit);
        if (features.adapterTransaction) writeAsAdapter(ticketId, version, seq, document, events, indexValues(features, commit.ticket));
        else write.immediate(ticketId, version, seq, document, events, indexValues(features, commit.ticket));
        version += 1;
        seq += events.length;
      }
    };
  };
  return { floor, close: () => owned.close() };
}

function indexValues(features: SqliteFloorFeatures, ticket: unknown): unknown[] {
  if (!features.indexed) return [];
  const index = ticketIndexOf(ticket);
  return [index.updatedAt, index.status, index.claimExpiresAt, index.incarnation];
}

/** The floor's DDL and statements (parameters in the order the floor binds them). */
export function sqliteFloorSql(prefix: string, features: SqliteFloorFeatures) {
  const tickets = `${prefix}tickets`;
  const events = `${prefix}events`;
  const key = features.namespaced ? ['namespace', 'ticket_id'] : ['id'];
  const eventKey = features.namespaced ? ['namespace', 'ticket_id'] : ['ticket_id'];
  const where = key.map((column) => `${column} = ?`).join(' AND ');
  const indexColumns = features.indexed ? ', updated_at TEXT NOT NULL, status TEXT NOT NULL, claim_expires_at TEXT, incarnation TEXT' : '';
  const scope = features.namespaced ? 'namespace, ' : '';
  const indexes = features.indexed
    ? `CREATE INDEX IF NOT EXISTS ${prefix}by_updated ON ${tickets} (${scope}updated_at, ${key.at(-1)});
CREATE INDEX IF NOT EXISTS ${prefix}by_status ON ${tickets} (${scope}status, updated_at, ${key.at(-1)});
CREATE INDEX IF NOT EXISTS ${prefix}by_claim ON ${tickets} (${scope}claim_expires_at) WHERE claim_expires_at IS NOT NULL;`
    : '';
  const indexNames = features.indexed ? ['updated_at', 'status', 'claim_expires_at', 'incarnation'] : [];
  return {
    create: `CREATE TABLE IF NOT EXISTS ${tickets} (${key.map((column) => `${column} TEXT NOT NULL`).join(', ')}, version INTEGER NOT NULL, last_seq INTEGER NOT NULL, document TEXT NOT NULL${indexColumns}, PRIMARY KEY (${key.join(', ')}));
CREATE TABLE IF NOT EXISTS ${events} (${eventKey.map((column) => `${column} TEXT NOT NULL`).join(', ')}, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (${eventKey.join(', ')}, seq));
${indexes}`,
    insert: `INSERT INTO ${tickets} (${[...key, 'document', ...indexNames].join(', ')}, version, last_seq) VALUES (${[...key, 'document', ...indexNames].map(() => '?').join(', ')}, 1, 0)`,
    load: `SELECT document, version, last_seq FROM ${tickets} WHERE ${where}`,
    advance: `UPDATE ${tickets} SET document = ?, version = version + 1, last_seq = last_seq + ?${indexNames.map((column) => `, ${column} = ?`).join('')} WHERE ${where} AND version = ? AND incarnation = ? RETURNING last_seq`,
    update: `UPDATE ${tickets} SET document = ?, version = version + 1, last_seq = ?${indexNames.map((column) => `, ${column} = ?`).join('')} WHERE ${where} AND version = ?`,
    insertEvent: `INSERT INTO ${events} (${eventKey.join(', ')}, seq, event) VALUES (${eventKey.map(() => '?').join(', ')}, ?, ?)`,
  };
}
