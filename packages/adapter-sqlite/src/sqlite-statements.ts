import type { ResolvedListQuery } from '@ticketflow/core/adapter';
import type { SqliteDatabase, SqliteStatement } from './sqlite-ticket-store-options.js';

/** The prepared statements of one connection; every value is a bound parameter. */
export interface SqliteStatements {
  load: SqliteStatement;
  head: SqliteStatement;
  document: SqliteStatement;
  insertTicket: SqliteStatement;
  updateTicket: SqliteStatement;
  /** The compare-and-set of a commit on a ticket with a stored incarnation, in one statement: the new `last_seq`, or no row. */
  advanceTicket: SqliteStatement;
  insertEvent: SqliteStatement;
  events: SqliteStatement;
  deleteTicket: SqliteStatement;
  deleteEvents: SqliteStatement;
  purgeCandidates: SqliteStatement;
  checkpoint: SqliteStatement;
  /** The list statement for a query's shape (which filters it has), prepared on first use. */
  list(query: ResolvedListQuery): SqliteStatement;
}

const BUSY_PLACEHOLDERS = "('executing', 'awaiting_approval', 'awaiting_input')";

/** Prepares the statements once per connection (preparing is the costly part of a query). */
export function prepareSqliteStatements(database: SqliteDatabase): SqliteStatements {
  const listByShape = new Map<string, SqliteStatement>();
  return {
    load: database.prepare('SELECT document, version FROM ticketflow_tickets WHERE namespace = ? AND ticket_id = ?'),
    head: database.prepare('SELECT version, last_seq, incarnation FROM ticketflow_tickets WHERE namespace = ? AND ticket_id = ?'),
    document: database.prepare('SELECT document FROM ticketflow_tickets WHERE namespace = ? AND ticket_id = ?'),
    insertTicket: database.prepare(
      `INSERT INTO ticketflow_tickets (namespace, ticket_id, document, version, last_seq, updated_at, status, claim_expires_at, incarnation)
       VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)`,
    ),
    updateTicket: database.prepare(
      `UPDATE ticketflow_tickets SET document = ?, version = version + 1, last_seq = ?, updated_at = ?, status = ?, claim_expires_at = ?, incarnation = ?
       WHERE namespace = ? AND ticket_id = ? AND version = ?`,
    ),
    advanceTicket: database.prepare(
      `UPDATE ticketflow_tickets SET document = ?, version = version + 1, last_seq = last_seq + ?, updated_at = ?, status = ?, claim_expires_at = ?, incarnation = ?
       WHERE namespace = ? AND ticket_id = ? AND version = ? AND incarnation = ?
       RETURNING last_seq`,
    ),
    insertEvent: database.prepare('INSERT INTO ticketflow_events (namespace, ticket_id, seq, event) VALUES (?, ?, ?, ?)'),
    events: database.prepare('SELECT seq, event FROM ticketflow_events WHERE namespace = ? AND ticket_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    deleteTicket: database.prepare('DELETE FROM ticketflow_tickets WHERE namespace = ? AND ticket_id = ?'),
    deleteEvents: database.prepare('DELETE FROM ticketflow_events WHERE namespace = ? AND ticket_id = ?'),
    // The document's own status is checked too: a row an older engine wrote after the upgrade
    // (a rolling deploy) has stale index columns, and a busy ticket must never be purged.
    purgeCandidates: database.prepare(
      `SELECT ticket_id FROM ticketflow_tickets INDEXED BY ticketflow_tickets_by_updated
       WHERE namespace = ? AND updated_at < ? AND status NOT IN ${BUSY_PLACEHOLDERS}
         AND coalesce(CASE WHEN json_valid(document) THEN json_extract(document, '$.status') END, '') NOT IN ${BUSY_PLACEHOLDERS}
       ORDER BY updated_at, ticket_id LIMIT ?`,
    ),
    checkpoint: database.prepare('PRAGMA wal_checkpoint(TRUNCATE)'),
    list(query) {
      const shape = listShape(query);
      let statement = listByShape.get(shape);
      if (statement === undefined) {
        statement = database.prepare(listSql(query));
        listByShape.set(shape, statement);
      }
      return statement;
    },
  };
}

/** The parameters of the list statement for `query`, in placeholder order. */
export function listParameters(namespace: string, query: ResolvedListQuery): unknown[] {
  const parameters: unknown[] = [namespace, ...(query.statuses ?? [])];
  if (query.updatedBefore !== null) parameters.push(query.updatedBefore);
  if (query.claimExpiredBefore !== null) parameters.push(query.claimExpiredBefore);
  if (query.after !== null) parameters.push(query.after.updatedAt, query.after.ticketId);
  parameters.push(query.limit + 1);
  return parameters;
}

function listShape(query: ResolvedListQuery): string {
  return [query.statuses?.length ?? 0, query.updatedBefore !== null, query.claimExpiredBefore !== null, query.after !== null].join(':');
}

/**
 * Keyset paging on (updated_at, ticket_id) served by an index: the claim index when the
 * query asks for expired claims (few tickets hold one), the status index for one status
 * (the driver runs one query per status and merges), else the updated_at index. Text
 * compares as UTF-8 bytes: the kit's list order.
 */
function listSql(query: ResolvedListQuery): string {
  const conditions = ['namespace = ?'];
  if (query.statuses !== null) conditions.push(`status IN (${query.statuses.map(() => '?').join(', ')})`);
  if (query.updatedBefore !== null) conditions.push('updated_at < ?');
  if (query.claimExpiredBefore !== null) conditions.push('claim_expires_at < ?');
  if (query.after !== null) conditions.push('(updated_at, ticket_id) > (?, ?)');
  const index =
    query.claimExpiredBefore !== null
      ? 'ticketflow_tickets_by_claim'
      : query.statuses !== null
        ? 'ticketflow_tickets_by_status'
        : 'ticketflow_tickets_by_updated';
  return `SELECT ticket_id, version, status, updated_at, claim_expires_at FROM ticketflow_tickets INDEXED BY ${index}
    WHERE ${conditions.join(' AND ')} ORDER BY updated_at, ticket_id LIMIT ?`;
}
