import type { ResolvedListQuery } from '@ticketflow/core/adapter';
import type { PostgresTables } from './postgres-schema.js';

/** The SQL of every operation; each is one statement, so one round trip. */
export interface PostgresStatements {
  /** $1 namespace, $2 key → document (text), version. */
  load: string;
  /**
   * $1 namespace, $2 key, $3 ticket id, $4 document, $5 events (a JSON array), $6 updated_at,
   * $7 status, $8 claim_expires_at, $9 incarnation → committed, current.
   */
  create: string;
  /** $1 namespace, $2 key, $3 expected version, $4–$9 as `create` → committed (no row when the compare-and-set lost). */
  update: string;
  /** $1 namespace, $2 key → version, unset (no stored incarnation). Only after a lost compare-and-set. */
  version: string;
  /** $1 namespace, $2 key → document (text), for a row without a stored incarnation. */
  legacyDocument: string;
  /** $1 namespace, $2 key, $3 version, $4 incarnation: sets the incarnation of a row that has none. */
  setIncarnation: string;
  /** $1 namespace, $2 key, $3 after, $4 limit (null: all) → seq, event (text). */
  events: string;
  /** $1 namespace, $2 key. Events go with the ticket (the schema's delete trigger). */
  delete: string;
  /** $1 namespace, $2 before, $3 limit → purged (a count). Takes the first tickets in list order. */
  purge: string;
  /** The list statement for a query's shape, and its parameters. */
  list(namespace: string, query: ResolvedListQuery): { text: string; values: unknown[] };
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const BUSY = "('executing', 'awaiting_approval', 'awaiting_input')";

/**
 * Builds the statements for one schema.
 *
 * `update` is the compare-and-set alone: under READ COMMITTED it waits for a concurrent
 * commit of the row and re-checks `version` and `incarnation` on the newest row. A loser
 * learns the winner's version with `version`, a second statement whose snapshot sees every
 * commit that finished before it (losing is rare; taking the row lock first so that a loser
 * learned it in the same round trip cost every winning commit ~50–130 µs). New events take
 * the numbers after `last_seq`, computed in the same statement: gap-free and never reused.
 * The index columns are written by the same statement as the document.
 */
export function postgresStatements(tables: PostgresTables): PostgresStatements {
  const appendEvents = (source: string) => `
  INSERT INTO ${tables.events} (namespace, ticket_key, seq, event)
  SELECT $1, $2, ${source}.last_seq - jsonb_array_length($5::jsonb) + e.ordinality, e.event
  FROM ${source}, jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(event, ordinality)`;

  return {
    load: `SELECT document::text AS document, version FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2`,
    create: `
WITH inserted AS (
  INSERT INTO ${tables.tickets} (namespace, ticket_key, ticket_id, document, version, last_seq, updated_at, status, claim_expires_at, incarnation)
  VALUES ($1, $2, $3, $4::jsonb, 1, jsonb_array_length($5::jsonb), $6::timestamptz, $7, $8::timestamptz, $9)
  ON CONFLICT (namespace, ticket_key) DO NOTHING
  RETURNING version, last_seq
), appended AS (${appendEvents('inserted')}
)
SELECT (SELECT version FROM inserted) AS committed,
       (SELECT version FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2) AS current`,
    update: `
WITH updated AS (
  UPDATE ${tables.tickets} AS t
  SET document = $4::jsonb, version = t.version + 1, last_seq = t.last_seq + jsonb_array_length($5::jsonb),
      updated_at = $6::timestamptz, status = $7, claim_expires_at = $8::timestamptz, incarnation = $9
  WHERE t.namespace = $1 AND t.ticket_key = $2 AND t.version = $3::bigint AND t.incarnation = $9
  RETURNING t.version, t.last_seq
), appended AS (${appendEvents('updated')}
)
SELECT version AS committed FROM updated`,
    version: `SELECT version, incarnation IS NULL AS unset FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2`,
    legacyDocument: `SELECT document::text AS document FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2 AND incarnation IS NULL`,
    setIncarnation: `UPDATE ${tables.tickets} SET incarnation = $4 WHERE namespace = $1 AND ticket_key = $2 AND version = $3::bigint AND incarnation IS NULL`,
    events: `
SELECT seq, event::text AS event FROM ${tables.events}
WHERE namespace = $1 AND ticket_key = $2 AND seq > $3::bigint
ORDER BY seq LIMIT $4::bigint`,
    delete: `DELETE FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2`,
    purge: `
WITH doomed AS (
  SELECT ticket_key FROM ${tables.tickets}
  WHERE namespace = $1 AND updated_at < $2::timestamptz AND status NOT IN ${BUSY}
  ORDER BY updated_at, ticket_id COLLATE "C" LIMIT $3::bigint
  FOR UPDATE SKIP LOCKED
), deleted AS (
  DELETE FROM ${tables.tickets} AS t USING doomed
  WHERE t.namespace = $1 AND t.ticket_key = doomed.ticket_key AND t.updated_at < $2::timestamptz AND t.status NOT IN ${BUSY}
    -- the document's own status too: a row an older engine wrote after the upgrade has stale index columns
    AND coalesce(t.document->>'status', '') NOT IN ${BUSY}
  RETURNING 1
)
SELECT count(*)::int AS purged FROM deleted`,
    list: (namespace, query) => listStatement(tables, namespace, query),
  };
}

/**
 * Keyset paging on (updated_at, ticket_id COLLATE "C") — ticket ids compare as UTF-8 bytes,
 * the kit's list order. Ticket ids can be longer than a B-tree entry may be, so the indexes
 * end at updated_at and ties are sorted by an incremental sort (PostgreSQL ≥ 13). Statuses
 * run as one bounded index range each (a LATERAL per status), merged in the same statement;
 * a claim filter uses the partial claim index (few tickets hold a claim).
 */
function listStatement(tables: PostgresTables, namespace: string, query: ResolvedListQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [namespace, query.limit + 1];
  const parameter = (value: unknown) => `$${values.push(value)}`;
  const conditions = ['t.namespace = $1'];
  if (query.updatedBefore !== null) conditions.push(`t.updated_at < ${parameter(query.updatedBefore)}::timestamptz`);
  if (query.claimExpiredBefore !== null) conditions.push(`t.claim_expires_at < ${parameter(query.claimExpiredBefore)}::timestamptz`);
  if (query.after !== null) {
    const updatedAt = parameter(query.after.updatedAt);
    const ticketId = parameter(query.after.ticketId);
    conditions.push(`t.updated_at >= ${updatedAt}::timestamptz AND (t.updated_at > ${updatedAt}::timestamptz OR t.ticket_id COLLATE "C" > ${ticketId})`);
  }
  const columns = `t.ticket_id, t.version, t.status, to_char(t.updated_at AT TIME ZONE 'UTC', ${ISO}) AS updated_at,
    to_char(t.claim_expires_at AT TIME ZONE 'UTC', ${ISO}) AS claim_expires_at, t.updated_at AS sort_at`;
  const order = 'ORDER BY sort_at, ticket_id COLLATE "C" LIMIT $2';
  if (query.statuses === null || query.claimExpiredBefore !== null) {
    if (query.statuses !== null) conditions.push(`t.status = ANY(${parameter(query.statuses)}::text[])`);
    return { text: `SELECT ${columns} FROM ${tables.tickets} AS t WHERE ${conditions.join(' AND ')} ${order}`, values };
  }
  const statuses = parameter(query.statuses);
  return {
    text: `SELECT page.* FROM unnest(${statuses}::text[]) AS s(status)
CROSS JOIN LATERAL (
  SELECT ${columns} FROM ${tables.tickets} AS t WHERE ${[...conditions, 't.status = s.status'].join(' AND ')} ${order}
) AS page ${order}`,
    values,
  };
}
