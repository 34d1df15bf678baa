import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { CommitRequest } from '@ticketflow/core';
import { postgresStatements, postgresTables } from './adapter-statements.js';
import { lostFloor, type FloorFactory } from './floor.js';

/**
 * Postgres floor: the adapter's SQL on the same pool. A load is its one `SELECT` and
 * `JSON.parse`; each write is its one-round-trip CTE (row lock, compare-and-set, document
 * update, event append from a JSON array).
 */
export function postgresFloor(pool: pg.Pool, schema: string, namespace: string): FloorFactory {
  const statements = postgresStatements(postgresTables(schema));
  return async (ticketId: string, turns: readonly (readonly CommitRequest[])[]) => {
    const key = createHash('sha256').update(ticketId, 'utf8').digest();
    await pool.query({ text: statements.create, values: [namespace, key, ticketId, JSON.stringify(turns[0]![0]!.ticket), '[]'] });
    return async (index) => {
      const writes = turns[index % turns.length]!;
      const loaded = await pool.query({ text: statements.load, values: [namespace, key] });
      const row = loaded.rows[0] as { document: string; version: number };
      JSON.parse(row.document);
      let version = Number(row.version);
      for (const write of writes) {
        const result = await pool.query({ text: statements.update, values: [namespace, key, version, JSON.stringify(write.ticket), JSON.stringify(write.events)] });
        const committed = (result.rows[0] as { committed: number | null } | undefined)?.committed;
        if (committed == null) throw lostFloor('postgres');
        version = Number(committed);
      }
    };
  };
}
