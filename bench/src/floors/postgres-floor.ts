import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { CommitRequest } from '@ticketflow/core';
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
  /** A row trigger deletes a ticket's events with it, as the adapter's schema 3 does (it replaced a foreign key with ON DELETE CASCADE). */
  deleteTrigger?: boolean;
  /** The adapter's statement shape: the incarnation re-checked, events from one JSON array. */
  adapterShape?: boolean;
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
export async function openPostgresFloor(pool: pg.Pool, schema: string, features: PostgresFloorFeatures = {}): Promise<PostgresFloor> {
  const sql = postgresFloorSql(`"${schema}"`, features);
  // Idempotent: a second floor on the same schema (through a counting pool) shares the tables.
  await pool.query(sql.create);
  // Hashing the id is part of a namespaced operation: once per call, as the adapter does.
  const keyOf = (ticketId: string) => (features.namespaced ? ['bench', createHash('sha256').update(ticketId, 'utf8').digest()] : [ticketId]);
  const write = (key: unknown[], version: number, commit: CommitRequest) => {
    const { document, events } = floorBytes(commit);
    const values = [...key, version, document, ...indexValues(features, commit.ticket)];
    return features.adapterShape
      ? { text: sql.shapedUpdate, values: [...values, `[${events.join(',')}]`] }
      : { text: sql.update(events.length), values: [...values, ...events] };
  };
  const floor: FloorFactory = async (ticketId, turns) => {
    const first = turns[0]![0]!;
    await pool.query({
      text: sql.insert,
      values: [...keyOf(ticketId), floorBytes(first).document, ...(features.namespaced ? [ticketId] : []), ...indexValues(features, first.ticket)],
    });
    return async (index) => {
      const key = keyOf(ticketId);
      const { rows } = await pool.query<Row>({ text: sql.load, values: key });
      let { version } = rows[0]!;
      for (const commit of turns[index % turns.length]!) {
        const result = await pool.query<{ last_seq: number | null }>(write(key, version, commit));
        if (result.rows[0]?.last_seq == null) throw lostFloor('postgres');
        version += 1;
      }
    };
  };
  const explain = async (ticketId: string, commit: CommitRequest): Promise<ExplainedWrite> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const key = keyOf(ticketId);
      const { rows } = await client.query<Row>({ text: sql.load, values: key });
      const statement = write(key, rows[0]!.version, commit);
      const { rows: plans } = await client.query<{ 'QUERY PLAN': ExplainPlan[] }>({
        text: `EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) ${statement.text}`,
        values: statement.values,
      });
      return explained(plans[0]!['QUERY PLAN'][0]!);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  };
  return { floor, explain, drop: async () => void (await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)) };
}

/** A Postgres floor, and a look at what one of its writes does on the server. */
export interface PostgresFloor {
  floor: FloorFactory;
  /**
   * Runs one write of `commit` on an existing floor ticket under `EXPLAIN (ANALYZE, BUFFERS,
   * WAL)` in a transaction that is rolled back: the server's own time for the statement,
   * foreign-key trigger time included, and the WAL and pages it writes.
   */
  explain(ticketId: string, commit: CommitRequest): Promise<ExplainedWrite>;
  drop(): Promise<void>;
}

/** What one write statement did on the server. */
export interface ExplainedWrite {
  executionMs: number;
  /** Time in AFTER triggers (a foreign key's checks; the delete trigger does not fire on a commit), within `executionMs`. */
  triggerMs: number;
  /** WAL written by the statement's UPDATE and INSERT nodes (the row versions, index entries and events). */
  walRecords: number;
  walBytes: number;
}

interface PlanNode {
  'Node Type': string;
  'WAL Records'?: number;
  'WAL Bytes'?: number;
  Plans?: PlanNode[];
}

interface ExplainPlan {
  'Execution Time': number;
  Triggers?: { Time: number }[];
  Plan: PlanNode;
}

function explained(plan: ExplainPlan): ExplainedWrite {
  // Each data-modifying CTE is its own ModifyTable node (they never nest); its counters include its children's.
  const writes: PlanNode[] = [];
  const visit = (node: PlanNode) => (node['Node Type'] === 'ModifyTable' ? writes.push(node) : node.Plans?.forEach(visit));
  visit(plan.Plan);
  return {
    executionMs: plan['Execution Time'],
    triggerMs: (plan.Triggers ?? []).reduce((sum, trigger) => sum + trigger.Time, 0),
    walRecords: writes.reduce((sum, node) => sum + (node['WAL Records'] ?? 0), 0),
    walBytes: writes.reduce((sum, node) => sum + (node['WAL Bytes'] ?? 0), 0),
  };
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
  const setIndex = features.indexed
    ? `, updated_at = ${indexParameters[0]}::timestamptz, status = ${indexParameters[1]}, claim_expires_at = ${indexParameters[2]}::timestamptz, incarnation = ${indexParameters[3]}`
    : '';
  const prefix = features.namespaced ? 'namespace, ' : '';
  const create = `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${tickets} (${keyDefinition} version integer NOT NULL, last_seq integer NOT NULL, document jsonb NOT NULL${indexColumns}, PRIMARY KEY (${keyColumns.join(', ')}));
CREATE TABLE IF NOT EXISTS ${events} (${eventKeyDefinition} seq integer NOT NULL, event jsonb NOT NULL, PRIMARY KEY (${eventKeyColumns.join(', ')}, seq));
${features.deleteTrigger ? deleteTriggerSql(schema, tickets, events, keyColumns, eventKeyColumns) : ''}
${
  features.indexed
    ? `CREATE INDEX IF NOT EXISTS by_updated ON ${tickets} (${prefix}updated_at);
CREATE INDEX IF NOT EXISTS by_status ON ${tickets} (${prefix}status, updated_at);
CREATE INDEX IF NOT EXISTS by_claim ON ${tickets} (${prefix}claim_expires_at) WHERE claim_expires_at IS NOT NULL;`
    : ''
}`;
  const insertColumns = [
    ...keyColumns,
    'document',
    ...(features.namespaced ? ['ticket_id'] : []),
    ...(features.indexed ? ['updated_at', 'status', 'claim_expires_at', 'incarnation'] : []),
  ];
  const insertValues = insertColumns.map(
    (column, position) => `$${position + 1}${column === 'document' ? '::jsonb' : column.endsWith('_at') ? '::timestamptz' : ''}`,
  );
  const eventKeys = keyColumns.map((_, position) => `$${position + 1}`).join(', ');
  return {
    create,
    insert: `INSERT INTO ${tickets} (${insertColumns.join(', ')}, version, last_seq) VALUES (${insertValues.join(', ')}, 1, 0)`,
    load: `SELECT document, version FROM ${tickets} WHERE ${keyMatch('')}`,
    /** One statement per number of events (the text names each event's parameter). */
    update: (count: number) => {
      const rows = Array.from({ length: count }, (_, position) => `(${position + 1}, $${firstEvent + position}::jsonb)`).join(', ');
      const append =
        count === 0
          ? ''
          : `, appended AS (
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
    shapedUpdate: `WITH updated AS (
  UPDATE ${tickets} AS t SET document = ${documentParameter}::jsonb, version = t.version + 1, last_seq = t.last_seq + jsonb_array_length($${firstEvent}::jsonb)${setIndex}
  WHERE ${keyMatch('t.')} AND t.version = ${versionParameter}${features.indexed ? ` AND t.incarnation = ${indexParameters[3]}` : ''}
  RETURNING t.last_seq
), appended AS (
  INSERT INTO ${events} (${eventKeyColumns.join(', ')}, seq, event)
  SELECT ${eventKeys}, updated.last_seq - jsonb_array_length($${firstEvent}::jsonb) + e.ordinality, e.event
  FROM updated, jsonb_array_elements($${firstEvent}::jsonb) WITH ORDINALITY AS e(event, ordinality)
)
SELECT last_seq FROM updated`,
  };
}

/** The adapter's delete trigger on the floor's tables (created again each time: the floor's DDL runs once per floor). */
function deleteTriggerSql(schema: string, tickets: string, events: string, keyColumns: string[], eventKeyColumns: string[]): string {
  const match = eventKeyColumns.map((column, position) => `${column} = OLD.${keyColumns[position]}`).join(' AND ');
  return `CREATE OR REPLACE FUNCTION ${schema}.delete_events() RETURNS trigger LANGUAGE plpgsql AS $floor$
BEGIN
  DELETE FROM ${events} WHERE ${match};
  RETURN NULL;
END
$floor$;
DROP TRIGGER IF EXISTS delete_events ON ${tickets};
CREATE TRIGGER delete_events AFTER DELETE ON ${tickets} FOR EACH ROW EXECUTE FUNCTION ${schema}.delete_events();`;
}
