import type { SqliteDatabase, SqliteStatement } from './sqlite-ticket-store-options.js';

/** The prepared statements of one connection; every value is a bound parameter. */
export interface SqliteStatements {
  load: SqliteStatement;
  head: SqliteStatement;
  insertTicket: SqliteStatement;
  updateTicket: SqliteStatement;
  insertEvent: SqliteStatement;
  events: SqliteStatement;
  deleteTicket: SqliteStatement;
  deleteEvents: SqliteStatement;
}

/** Prepares the statements once per connection (preparing is the costly part of a query). */
export function prepareSqliteStatements(database: SqliteDatabase): SqliteStatements {
  return {
    load: database.prepare('SELECT document, version FROM ticketflow_tickets WHERE namespace = ? AND ticket_id = ?'),
    head: database.prepare('SELECT version, last_seq FROM ticketflow_tickets WHERE namespace = ? AND ticket_id = ?'),
    insertTicket: database.prepare(
      'INSERT INTO ticketflow_tickets (namespace, ticket_id, document, version, last_seq, updated_at) VALUES (?, ?, ?, 1, ?, ?)',
    ),
    updateTicket: database.prepare(
      'UPDATE ticketflow_tickets SET document = ?, version = version + 1, last_seq = ?, updated_at = ? WHERE namespace = ? AND ticket_id = ? AND version = ?',
    ),
    insertEvent: database.prepare('INSERT INTO ticketflow_events (namespace, ticket_id, seq, event) VALUES (?, ?, ?, ?)'),
    events: database.prepare(
      'SELECT seq, event FROM ticketflow_events WHERE namespace = ? AND ticket_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    deleteTicket: database.prepare('DELETE FROM ticketflow_tickets WHERE namespace = ? AND ticket_id = ?'),
    deleteEvents: database.prepare('DELETE FROM ticketflow_events WHERE namespace = ? AND ticket_id = ?'),
  };
}
