import { createHash } from 'node:crypto';
import { StoreError, ticketIndexOf } from '@ticketflow/core/adapter';
import type { PostgresPool } from './postgres-ticket-store-options.js';

/** The schema this version of the adapter writes. A database with a newer one is refused. */
export const POSTGRES_SCHEMA_VERSION = 3;

const UPGRADE_BATCH = 500;

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
 * Version 1, then the columns and indexes of version 2 and the delete trigger of version 3, as
 * one parameterless script, which PostgreSQL runs as a single implicit transaction. The advisory lock serialises processes that start at once (concurrent
 * `CREATE … IF NOT EXISTS` can otherwise fail on the catalog's unique indexes).
 *
 * Tickets are keyed by the SHA-256 of their id: index entries stay small whatever the id's
 * length (a B-tree entry must fit in a third of a page). A row trigger removes a deleted
 * ticket's events (version 3; versions 1 and 2 had a foreign key with ON DELETE CASCADE,
 * which checked the ticket for every event inserted). The trigger's DELETE runs with a fresh
 * snapshot (a VOLATILE PL/pgSQL function, READ COMMITTED), after the ticket's row lock was
 * taken: it sees and removes events appended by a commit that committed while the delete
 * waited for that lock.
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
  PRIMARY KEY (namespace, ticket_key, seq)
);
INSERT INTO ${tables.meta} (name, value) VALUES ('schema_version', '1')
  ON CONFLICT (name) DO NOTHING;
-- Version 2: what list and purge read (ticketIndexOf) and the incarnation commits check.
-- updated_at now holds the document's updatedAt; rows of version 1 are filled in batches.
ALTER TABLE ${tables.tickets}
  ADD COLUMN IF NOT EXISTS status           text NOT NULL DEFAULT 'open',
  ADD COLUMN IF NOT EXISTS claim_expires_at timestamptz,
  ADD COLUMN IF NOT EXISTS incarnation      text;
CREATE INDEX IF NOT EXISTS ticketflow_tickets_by_updated ON ${tables.tickets} (namespace, updated_at);
CREATE INDEX IF NOT EXISTS ticketflow_tickets_by_status ON ${tables.tickets} (namespace, status, updated_at);
CREATE INDEX IF NOT EXISTS ticketflow_tickets_by_claim ON ${tables.tickets} (namespace, claim_expires_at) WHERE claim_expires_at IS NOT NULL;
${deleteTriggerScript(tables)}`;
}

/**
 * Version 3: a row trigger deletes a ticket's events with it, and the events' foreign key of
 * versions 1 and 2 is dropped (idempotent; see {@link createScript}).
 */
function deleteTriggerScript(tables: PostgresTables): string {
  const deleteEventsFunction = `${quoteIdentifier(tables.schema)}.ticketflow_delete_events()`;
  return `-- Version 3: a deleted ticket's events go with it through a row trigger, not a foreign key.
CREATE OR REPLACE FUNCTION ${deleteEventsFunction} RETURNS trigger LANGUAGE plpgsql VOLATILE AS ${dollarQuoted(`
BEGIN
  DELETE FROM ${tables.events} WHERE namespace = OLD.namespace AND ticket_key = OLD.ticket_key;
  RETURN NULL;
END
`)};
DO ${dollarQuoted(`
DECLARE
  tickets regclass := ${sqlLiteral(tables.tickets)}::regclass;
  events regclass := ${sqlLiteral(tables.events)}::regclass;
  constraint_name name;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = tickets AND tgname = 'ticketflow_delete_events') THEN
    CREATE TRIGGER ticketflow_delete_events AFTER DELETE ON ${tables.tickets} FOR EACH ROW EXECUTE FUNCTION ${deleteEventsFunction};
  END IF;
  FOR constraint_name IN SELECT conname FROM pg_constraint WHERE conrelid = events AND contype = 'f' LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', events, constraint_name);
  END LOOP;
END
`)};
`;
}

/** A SQL string literal. */
function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A dollar-quoted SQL string whose tag does not occur in `body` (a schema name may hold `$`). */
function dollarQuoted(body: string): string {
  let tag = 'ticketflow';
  while (body.includes(`$${tag}$`)) tag += '_';
  return `$${tag}$${body}$${tag}$`;
}

/**
 * Fills the index columns of rows written before version 2, from each document with
 * `ticketIndexOf`, in batches (a row whose version moved meanwhile was rewritten by a
 * current adapter, which set them itself), then records the current version.
 */
async function upgradeRows(pool: PostgresPool, tables: PostgresTables, queryTimeoutMs: number): Promise<void> {
  for (;;) {
    const { rows } = await pool.query({
      text: `SELECT namespace, ticket_key, version, document::text AS document FROM ${tables.tickets} WHERE incarnation IS NULL LIMIT ${UPGRADE_BATCH}`,
      query_timeout: queryTimeoutMs,
    });
    if (rows.length === 0) break;
    const indexes = rows.map((row) => ticketIndexOf(parseOrNull(row.document)));
    await pool.query({
      text: `UPDATE ${tables.tickets} AS t SET status = u.status, updated_at = u.updated_at::timestamptz, claim_expires_at = u.claim::timestamptz, incarnation = u.incarnation
             FROM unnest($1::text[], $2::bytea[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(namespace, ticket_key, version, status, updated_at, claim, incarnation)
             WHERE t.namespace = u.namespace AND t.ticket_key = u.ticket_key AND t.version = u.version AND t.incarnation IS NULL`,
      values: [
        rows.map((row) => row.namespace),
        rows.map((row) => row.ticket_key),
        rows.map((row) => String(row.version)),
        indexes.map((index) => index.status),
        indexes.map((index) => index.updatedAt),
        indexes.map((index) => index.claimExpiresAt),
        indexes.map((index) => index.incarnation),
      ],
      query_timeout: queryTimeoutMs,
    });
    if (rows.length < UPGRADE_BATCH) break;
  }
  // Versions 1 and 2 need nothing else: the script created the trigger and dropped the foreign key.
  await pool.query({
    text: `UPDATE ${tables.meta} SET value = '${POSTGRES_SCHEMA_VERSION}' WHERE name = 'schema_version' AND value IN ('1', '2')`,
    query_timeout: queryTimeoutMs,
  });
}

function parseOrNull(text: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return null;
  }
}

/**
 * Makes sure the tables exist, upgrades them, and checks their version. A database that
 * already has the current schema costs one read and needs no DDL privilege; otherwise the
 * creation script runs under the advisory lock (idempotent: `IF NOT EXISTS` throughout),
 * the rows of an older version get their index columns, then the version is read again.
 * Several processes upgrading at once do the same idempotent work.
 */
export async function ensurePostgresSchema(pool: PostgresPool, tables: PostgresTables, queryTimeoutMs: number): Promise<void> {
  let version = await readSchemaVersion(pool, tables, queryTimeoutMs);
  if (version === null || version < POSTGRES_SCHEMA_VERSION) {
    await pool.query({ text: createScript(tables), query_timeout: queryTimeoutMs });
    await upgradeRows(pool, tables, queryTimeoutMs);
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
  throw new StoreError({
    kind: 'corrupt',
    adapter: 'postgres',
    retryable: false,
    message: `unreadable ticketflow schema version ${JSON.stringify(rows[0]!.value)}`,
  });
}

/** A 64-bit advisory lock key, distinct per schema, as a SQL integer literal. */
function advisoryLockKey(schema: string): string {
  return createHash('sha256').update(`ticketflow:schema:${schema}`, 'utf8').digest().readBigInt64BE(0).toString();
}
