import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ticketIndexOf } from '@ticketflow/core/adapter';
import { floorBytes, lostFloor, type FloorFactory } from './floor.js';

/**
 * Parts of the adapter's design a Postgres floor can add, one at a time, to measure what
 * each costs (`src/gap/`). The published floor has none of them.
 */
export interface PostgresFloorFeatures {
  /** Rows keyed by (namespace, SHA-256 of the ticket id) with the id in its own column, as the adapter keys them. */
  namespaced?: boolean;
  /** status, updated_at, claim_expires_at and incarnation written by every commit, with the adapter's three indexes on them. */
  indexed?: boolean;
  /** Events reference their ticket (FOREIGN KEY … ON DELETE CASCADE). */
  foreignKey?: boolean;
  /** The adapter's statement shape: the row locked first (SELECT … FOR UPDATE), the incarnation re-checked, events from one JSON array. */
  lockFirst?: boolean;
}

interface Row {
  document: unknown;
  version: number;
}

/**
 * Postgres floor on the given pool, in its own schema: the minimal statements for the same
 * bytes. Tables `tickets (id text PRIMARY KEY, version, last_seq, document jsonb)` and
 * `events (ticket_id, seq, event jsonb, PRIMARY KEY (ticket_id, seq))`. A load is one
 * `SELECT … WHERE id = $1` (pg parses the jsonb); each write is one statement, so one
 * round trip: `UPDATE … WHERE id = $1 AND version = $2` with the events inserted from a
 * multi-row `VALUES` in the same statement (a data-modifying CTE). `pool.query` checks a
 * connection out and back in, as an application would.
 */
export async function openPostgresFloor(pool: pg.Pool, schema: string, features: PostgresFloorFeatures = {}): Promise<{ floor: FloorFactory; drop(): Promise<void> }> {
  const sql = postgresFloorSql(`"${schema}"`, features);
  // Idempotent: a second floor on the same schema (through a counting pool) shares the tables.
  await pool.query(sql.create);
  const namespace = 'bench';
  const floor: FloorFactory = async (ticketId, turns) => {
    const key = features.namespaced ? [namespace, createHash('sha256').update(ticketId, 'utf8').digest()] : [ticketId];
    const first = turns[0]![0]!;
    await pool.query({ text: sql.insert, values: [...key, floorBytes(first).document, ...(features.namespaced ? [ticketId] : []), ...indexValues(features, first.ticket)] });
    return async (index) => {
      // Hashing the id is part of a namespaced turn: once per operation, as the adapter does.
      const turnKey = features.namespaced ? [namespace, createHash('sha256').update(ticketId, 'utf8').digest()] : key;
      const { rows } = await pool.query<Row>({ text: sql.load, values: turnKey });
      let { version } = rows[0]!;
      for (const commit of turns[index % turns.length]!) {
        const { document, events } = floorBytes(commit);
        const values = [...turnKey, version, document, ...indexValues(features, commit.ticket)];
        const result = await pool.query<{ last_seq: number | null }>(
          features.lockFirst ? { text: sql.lockedUpdate, values: [...values, `[${events.join(',')}]`] } : { text: sql.update(events.length), values: [...values, ...events] },
        );
        if (result.rows[0]?.last_seq == null) throw lostFloor('postgres');
        version += 1;
      }
    };
  };
  return { floor, drop: async () => void (await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)) };
}

/** The index fields of a document, as the adapter writes them (only with `indexed`). */
function indexValues(features: PostgresFloorFeatures, ticket: unknown): unknown[] {
  if (!features.indexed) return [];
  const index = ticketIndexOf(ticket);
  return [index.updatedAt, index.status, index.claimExpiresAt, index.incarnation];
}

/** The floor's DDL and statements for a set of features (parameters: key…, version, document, index…, events…). */
export function postgresFloorSql(schema: string, features: PostgresFloorFeatures) {
  const tickets = `${schema}.tickets`;
  const events = `${schema}.events`;
  const keyColumns = features.namespaced ? ['namespace', 'ticket_key'] : ['id'];
  const keyDefinition = features.namespaced ? 'namespace text NOT NULL, ticket_key bytea NOT NULL, ticket_id text NOT NULL,' : 'id text NOT NULL,';
  const eventKeyDefinition = features.namespaced ? 'namespace text NOT NULL, ticket_key bytea NOT NULL,' : 'ticket_id text NOT NULL,';
  const eventKeyColumns = features.namespaced ? ['namespace', 'ticket_key'] : ['ticket_id'];
  const keyMatch = (alias: string) => keyColumns.map((column, position) => `${alias}${column} = $${position + 1}`).join(' AND ');
  const keys = keyColumns.length;
  const [versionParameter, documentParameter] = [`$${keys + 1}`, `$${keys + 2}`];
  const indexParameters = features.indexed ? [keys + 3, keys + 4, keys + 5, keys + 6].map((position) => `$${position}`) : [];
  const firstEvent = keys + 3 + indexParameters.length;
  const indexColumns = features.indexed ? ', updated_at timestamptz NOT NULL, status text NOT NULL, claim_expires_at timestamptz, incarnation text' : '';
  const setIndex = features.indexed ? `, updated_at = ${indexParameters[0]}::timestamptz, status = ${indexParameters[1]}, claim_expires_at = ${indexParameters[2]}::timestamptz, incarnation = ${indexParameters[3]}` : '';
  const prefix = features.namespaced ? 'namespace, ' : '';
  const create = `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${tickets} (${keyDefinition} version integer NOT NULL, last_seq integer NOT NULL, document jsonb NOT NULL${indexColumns}, PRIMARY KEY (${keyColumns.join(', ')}));
CREATE TABLE IF NOT EXISTS ${events} (${eventKeyDefinition} seq integer NOT NULL, event jsonb NOT NULL, PRIMARY KEY (${eventKeyColumns.join(', ')}, seq)${features.foreignKey ? `, FOREIGN KEY (${eventKeyColumns.join(', ')}) REFERENCES ${tickets} (${keyColumns.join(', ')}) ON DELETE CASCADE` : ''});
${features.indexed ? `CREATE INDEX IF NOT EXISTS by_updated ON ${tickets} (${prefix}updated_at);
CREATE INDEX IF NOT EXISTS by_status ON ${tickets} (${prefix}status, updated_at);
CREATE INDEX IF NOT EXISTS by_claim ON ${tickets} (${prefix}claim_expires_at) WHERE claim_expires_at IS NOT NULL;` : ''}`;
  const insertColumns = [...keyColumns, 'document', ...(features.namespaced ? ['ticket_id'] : []), ...(features.indexed ? ['updated_at', 'status', 'claim_expires_at', 'incarnation'] : [])];
  const insertValues = insertColumns.map((column, position) => `$${position + 1}${column === 'document' ? '::jsonb' : column.endsWith('_at') ? '::timestamptz' : ''}`);
  const eventKeys = keyColumns.map((_, position) => `$${position + 1}`).join(', ');
  return {
    create,
    insert: `INSERT INTO ${tickets} (${insertColumns.join(', ')}, version, last_seq) VALUES (${insertValues.join(', ')}, 1, 0)`,
    load: `SELECT document, version FROM ${tickets} WHERE ${keyMatch('')}`,
    /** One statement per number of events (the text names each event's parameter). */
    update: (count: number) => {
      const rows = Array.from({ length: count }, (_, position) => `(${position + 1}, $${firstEvent + position}::jsonb)`).join(', ');
      const append = count === 0 ? '' : `, appended AS (
  INSERT INTO ${events} (${eventKeyColumns.join(', ')}, seq, event)
  SELECT ${eventKeys}, updated.last_seq - ${count} + e.n, e.event FROM updated, (VALUES ${rows}) AS e(n, event)
)`;
      return `WITH updated AS (
  UPDATE ${tickets} SET document = ${documentParameter}::jsonb, version = version + 1, last_seq = last_seq + ${count}${setIndex}
  WHERE ${keyMatch('')} AND version = ${versionParameter}
  RETURNING last_seq
)${append}
SELECT last_seq FROM updated`;
    },
    lockedUpdate: `WITH current AS (
  SELECT version${features.indexed ? ', incarnation' : ''} FROM ${tickets} WHERE ${keyMatch('')} FOR UPDATE
), updated AS (
  UPDATE ${tickets} AS t SET document = ${documentParameter}::jsonb, version = t.version + 1, last_seq = t.last_seq + jsonb_array_length($${firstEvent}::jsonb)${setIndex}
  FROM current WHERE ${keyMatch('t.')} AND t.version = ${versionParameter}${features.indexed ? ` AND t.incarnation = ${indexParameters[3]}` : ''}
  RETURNING t.last_seq
), appended AS (
  INSERT INTO ${events} (${eventKeyColumns.join(', ')}, seq, event)
  SELECT ${eventKeys}, updated.last_seq - jsonb_array_length($${firstEvent}::jsonb) + e.ordinality, e.event
  FROM updated, jsonb_array_elements($${firstEvent}::jsonb) WITH ORDINALITY AS e(event, ordinality)
)
SELECT (SELECT last_seq FROM updated) AS last_seq, (SELECT version FROM current) AS current`,
  };
}
