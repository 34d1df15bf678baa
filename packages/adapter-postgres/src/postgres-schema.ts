import { createHash } from 'node:crypto';
import { StoreError } from '@ticketflow/core';
import type { PostgresPool } from './postgres-ticket-store-options.js';

/** The schema this version of the adapter writes. A database with a newer one is refused. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** Fully qualified, quoted table names in one PostgreSQL schema. */
export interface PostgresTables {
  schema: string;
  meta: string;
  tickets: string;
  events: string;
}

/** Quotes an identifier: identifiers cannot be bound as parameters. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function postgresTables(schema: string): PostgresTables {
  const qualified = (table: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  return { schema, meta: qualified('ticketflow_meta'), tickets: qualified('ticketflow_tickets'), events: qualified('ticketflow_events') };
}

/**
 * Version 1 as one parameterless script, which PostgreSQL runs as a single implicit
 * transaction. The advisory lock serialises processes that start at once (concurrent
 * `CREATE … IF NOT EXISTS` can otherwise fail on the catalog's unique indexes).
 *
 * Tickets are keyed by the SHA-256 of their id: index entries stay small whatever the id's
 * length (a B-tree entry must fit in a third of a page). Events reference their ticket
 * with ON DELETE CASCADE, so a delete also removes events appended by a commit that
 * committed while the delete waited for the row lock.
 */
function createScript(tables: PostgresTables): string {
  const createSchema = tables.schema === 'public' ? '' : `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(tables.schema)};`;
  return `
SELECT pg_advisory_xact_lock(${advisoryLockKey(tables.schema)});
${createSchema}
CREATE TABLE IF NOT EXISTS ${tables.meta} (
  name  text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE IF NOT EXISTS ${tables.tickets} (
  namespace  text        NOT NULL,
  ticket_key bytea       NOT NULL,
  ticket_id  text        NOT NULL,
  document   jsonb       NOT NULL,
  version    integer     NOT NULL,
  last_seq   integer     NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, ticket_key)
);
CREATE TABLE IF NOT EXISTS ${tables.events} (
  namespace  text    NOT NULL,
  ticket_key bytea   NOT NULL,
  seq        integer NOT NULL,
  event      jsonb   NOT NULL,
  PRIMARY KEY (namespace, ticket_key, seq),
  FOREIGN KEY (namespace, ticket_key) REFERENCES ${tables.tickets} (namespace, ticket_key) ON DELETE CASCADE
);
INSERT INTO ${tables.meta} (name, value) VALUES ('schema_version', '${POSTGRES_SCHEMA_VERSION}')
  ON CONFLICT (name) DO NOTHING;
`;
}

/**
 * Makes sure the tables exist and checks their version. A database that already has the
 * current schema costs one read and needs no DDL privilege; otherwise the creation script
 * runs under the advisory lock, then the version is read again.
 */
export async function ensurePostgresSchema(pool: PostgresPool, tables: PostgresTables, queryTimeoutMs: number): Promise<void> {
  let version = await readSchemaVersion(pool, tables, queryTimeoutMs);
  if (version === null || version < POSTGRES_SCHEMA_VERSION) {
    await pool.query({ text: createScript(tables), query_timeout: queryTimeoutMs });
    version = await readSchemaVersion(pool, tables, queryTimeoutMs);
  }
  if (version === null || version > POSTGRES_SCHEMA_VERSION) {
    throw new StoreError({
      kind: 'corrupt',
      adapter: 'postgres',
      retryable: false,
      message: `schema ${tables.schema} has ticketflow schema version ${String(version)}, this adapter understands up to ${POSTGRES_SCHEMA_VERSION}: upgrade @ticketflow/adapter-postgres`,
    });
  }
}

async function readSchemaVersion(pool: PostgresPool, tables: PostgresTables, queryTimeoutMs: number): Promise<number | null> {
  let rows: Record<string, unknown>[];
  try {
    ({ rows } = await pool.query({ text: `SELECT value FROM ${tables.meta} WHERE name = $1`, values: ['schema_version'], query_timeout: queryTimeoutMs }));
  } catch (error) {
    // undefined_table, invalid_schema_name: nothing created yet.
    if (['42P01', '3F000'].includes((error as { code?: string }).code ?? '')) return null;
    throw error;
  }
  if (rows.length === 0) return null;
  const version = Number(rows[0]!.value);
  if (Number.isSafeInteger(version) && version > 0) return version;
  throw new StoreError({ kind: 'corrupt', adapter: 'postgres', retryable: false, message: `unreadable ticketflow schema version ${JSON.stringify(rows[0]!.value)}` });
}

/** A 64-bit advisory lock key, distinct per schema, as a SQL integer literal. */
function advisoryLockKey(schema: string): string {
  return createHash('sha256').update(`ticketflow:schema:${schema}`, 'utf8').digest().readBigInt64BE(0).toString();
}
