import type Database from 'better-sqlite3';
import type { CommitRequest } from '@ticketflow/core';
import { prepareSqliteStatements } from './adapter-statements.js';
import { lostFloor, type FloorFactory } from './floor.js';

/**
 * SQLite floor: the adapter's prepared statements on a connection opened like the
 * adapter's (WAL, busy timeout). A load is one `SELECT` and `JSON.parse`; each write is
 * `BEGIN IMMEDIATE`, the version check, the `UPDATE`, one `INSERT` per event, `COMMIT`.
 */
export function sqliteFloor(database: Database.Database, namespace: string): FloorFactory {
  const statements = prepareSqliteStatements(database);
  return async (ticketId: string, turns: readonly (readonly CommitRequest[])[]) => {
    statements.insertTicket.run(namespace, ticketId, JSON.stringify(turns[0]![0]!.ticket), 0, new Date().toISOString());
    return (index) => {
      const writes = turns[index % turns.length]!;
      const row = statements.load.get(namespace, ticketId) as { document: string; version: number | bigint };
      JSON.parse(row.document);
      let version = Number(row.version);
      for (const write of writes) {
        const document = JSON.stringify(write.ticket);
        const events = write.events.map((event) => JSON.stringify(event));
        const now = new Date().toISOString();
        database.exec('BEGIN IMMEDIATE');
        try {
          const head = statements.head.get(namespace, ticketId) as { version: number | bigint; last_seq: number | bigint };
          if (Number(head.version) !== version) throw lostFloor('sqlite');
          let seq = Number(head.last_seq);
          statements.updateTicket.run(document, seq + events.length, now, namespace, ticketId, version);
          for (const event of events) statements.insertEvent.run(namespace, ticketId, (seq += 1), event);
          database.exec('COMMIT');
        } catch (error) {
          database.exec('ROLLBACK');
          throw error;
        }
        version += 1;
      }
    };
  };
}
