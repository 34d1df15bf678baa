import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runTicketStoreConformance } from '@ticketflow/core/testing';
import { afterAll } from 'vitest';
import { SqliteTicketStore } from './sqlite-ticket-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-conformance-'));
const file = join(directory, 'tickets.db');
const shared = new Database(join(directory, 'app-owned.db'), { timeout: 5 });
shared.pragma('journal_mode = WAL');

afterAll(() => {
  shared.close();
  rmSync(directory, { recursive: true, force: true });
});

/** The backend losing a namespace's data behind the store's back: rows deleted by another connection. */
function wipe(database: Database.Database, namespace: string): void {
  database.prepare('DELETE FROM ticketflow_events WHERE namespace = ?').run(namespace);
  database.prepare('DELETE FROM ticketflow_tickets WHERE namespace = ?').run(namespace);
}

runTicketStoreConformance({
  name: 'sqlite (file)',
  create: ({ namespace }) => new SqliteTicketStore({ filename: file, namespace }),
  capabilities: {
    persistent: true,
    wipe: ({ namespace }) => {
      const other = new Database(file);
      try {
        wipe(other, namespace);
      } finally {
        other.close();
      }
    },
  },
});

runTicketStoreConformance({
  name: 'sqlite (database passed in)',
  create: ({ namespace }) => new SqliteTicketStore({ database: shared, namespace }),
  capabilities: { persistent: true, wipe: ({ namespace }) => wipe(shared, namespace) },
});

runTicketStoreConformance({
  name: 'sqlite (:memory:)',
  create: ({ namespace }) => new SqliteTicketStore({ filename: ':memory:', namespace }),
});
