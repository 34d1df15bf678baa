import type { PostgresTables } from './postgres-schema.js';

/** The SQL of every operation; each is one statement, so one round trip. */
export interface PostgresStatements {
  /** $1 namespace, $2 key → document (text), version. */
  load: string;
  /** $1 namespace, $2 key, $3 ticket id, $4 document, $5 events (a JSON array) → committed, current. */
  create: string;
  /** $1 namespace, $2 key, $3 expected version, $4 document, $5 events → committed, current. */
  update: string;
  /** $1 namespace, $2 key → version. Only after a lost creation race that the snapshot did not see. */
  version: string;
  /** $1 namespace, $2 key, $3 after, $4 limit (null: all) → seq, event (text). */
  events: string;
  /** $1 namespace, $2 key. Events go with the ticket (ON DELETE CASCADE). */
  delete: string;
}

/**
 * Builds the statements for one schema.
 *
 * `update` locks the row first (`FOR UPDATE` in `current`): under READ COMMITTED the lock
 * waits for a concurrent commit and then returns the row as that commit left it, so a loser
 * learns the winner's version in the same round trip. The UPDATE joins `current` so it runs
 * after the lock, and re-checks `version` on the newest row. New events take the numbers
 * after `last_seq`, computed in the same statement: gap-free and never reused.
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
  INSERT INTO ${tables.tickets} (namespace, ticket_key, ticket_id, document, version, last_seq)
  VALUES ($1, $2, $3, $4::jsonb, 1, jsonb_array_length($5::jsonb))
  ON CONFLICT (namespace, ticket_key) DO NOTHING
  RETURNING version, last_seq
), appended AS (${appendEvents('inserted')}
)
SELECT (SELECT version FROM inserted) AS committed,
       (SELECT version FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2) AS current`,
    update: `
WITH current AS (
  SELECT version FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2 FOR UPDATE
), updated AS (
  UPDATE ${tables.tickets} AS t
  SET document = $4::jsonb, version = t.version + 1, last_seq = t.last_seq + jsonb_array_length($5::jsonb), updated_at = now()
  FROM current
  WHERE t.namespace = $1 AND t.ticket_key = $2 AND t.version = $3::bigint
  RETURNING t.version, t.last_seq
), appended AS (${appendEvents('updated')}
)
SELECT (SELECT version FROM updated) AS committed, (SELECT version FROM current) AS current`,
    version: `SELECT version FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2`,
    events: `
SELECT seq, event::text AS event FROM ${tables.events}
WHERE namespace = $1 AND ticket_key = $2 AND seq > $3::bigint
ORDER BY seq LIMIT $4::bigint`,
    delete: `DELETE FROM ${tables.tickets} WHERE namespace = $1 AND ticket_key = $2`,
  };
}
