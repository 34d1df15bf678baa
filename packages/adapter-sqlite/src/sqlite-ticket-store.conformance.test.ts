import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runTicketStoreConformance } from '@ticketflow/core/testing';
import { afterAll } from 'vitest';
import { SqliteTicketStore } from './sqlite-ticket-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-conformance-'));
const shared = new Database(join(directory, 'app-owned.db'));
shared.pragma('journal_mode = WAL');
afterAll(() => {
  shared.close();
  rmSync(directory, { recursive: true, force: true });
});

runTicketStoreConformance({
  name: 'sqlite (file)',
  create: ({ namespace }) => new SqliteTicketStore({ filename: join(directory, 'tickets.db'), namespace }),
  capabilities: { persistent: true },
});

runTicketStoreConformance({
  name: 'sqlite (database passed in)',
  create: ({ namespace }) => new SqliteTicketStore({ database: shared, namespace }),
  capabilities: { persistent: true },
});

runTicketStoreConformance({
  name: 'sqlite (:memory:)',
  create: ({ namespace }) => new SqliteTicketStore({ filename: ':memory:', namespace }),
});
