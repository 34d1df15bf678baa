import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { validateListQuery } from '@ticketflow/core/adapter';
import type { ListQuery, TicketDoc } from '@ticketflow/core';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';
import { listParameters, prepareSqliteStatements } from './sqlite-statements.js';
import { SqliteTicketStore } from './sqlite-ticket-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-schema-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// The schema as version 1 of the adapter (0.1.0) created it, with its rows.
const VERSION_1 = `
CREATE TABLE ticketflow_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE ticketflow_tickets (namespace TEXT NOT NULL, ticket_id TEXT NOT NULL, document TEXT NOT NULL, version INTEGER NOT NULL, last_seq INTEGER NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (namespace, ticket_id));
CREATE TABLE ticketflow_events (namespace TEXT NOT NULL, ticket_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (namespace, ticket_id, seq));
INSERT INTO ticketflow_meta (name, value) VALUES ('schema_version', '1');
`;

function legacyDocument(id: string, status: string, updatedAt: string, lease?: number): string {
  return JSON.stringify({
    schemaVersion: 1,
    id,
    createdAt: '2025-12-01T00:00:00.000Z',
    updatedAt,
    status,
    execution: lease === undefined ? null : { leaseExpiresAt: lease },
  });
}

function versionOneFile(): string {
  const filename = join(directory, `v1-${Math.random().toString(36).slice(2)}.db`);
  const raw = new Database(filename);
  raw.pragma('journal_mode = WAL');
  raw.exec(VERSION_1);
  const insert = raw.prepare('INSERT INTO ticketflow_tickets VALUES (?, ?, ?, ?, ?, ?)');
  insert.run('support', 'T-old', legacyDocument('T-old', 'needs_human', '2026-01-01T10:00:00.000Z'), 3, 1, '2026-01-05 12:00:00');
  insert.run(
    'support',
    'T-busy',
    legacyDocument('T-busy', 'executing', '2026-01-01T09:00:00.000Z', Date.parse('2026-01-01T09:05:00.000Z')),
    1,
    0,
    '2026-01-05 12:00:00',
  );
  insert.run('support', 'T-broken', '{not json', 1, 0, 'x');
  raw.prepare('INSERT INTO ticketflow_events VALUES (?, ?, ?, ?)').run('support', 'T-old', 1, '{"type":"created","at":"2026-01-01T10:00:00.000Z"}');
  raw.close();
  return filename;
}

describe('SqliteTicketStore schema upgrades', () => {
  it('§5 upgrades a version 1 file in place: index columns filled from each document with ticketIndexOf', async () => {
    const filename = versionOneFile();
    const store = new SqliteTicketStore({ filename, namespace: 'support' });
    expect((await store.list()).tickets).toEqual([
      { ticketId: 'T-broken', version: 1, status: 'open', updatedAt: '1970-01-01T00:00:00.000Z', claimExpiresAt: null },
      { ticketId: 'T-busy', version: 1, status: 'executing', updatedAt: '2026-01-01T09:00:00.000Z', claimExpiresAt: '2026-01-01T09:05:00.000Z' },
      { ticketId: 'T-old', version: 3, status: 'needs_human', updatedAt: '2026-01-01T10:00:00.000Z', claimExpiresAt: null },
    ]);
    const raw = new Database(filename, { readonly: true });
    expect(raw.prepare(`SELECT value FROM ticketflow_meta WHERE name = 'schema_version'`).get()).toEqual({ value: String(SQLITE_SCHEMA_VERSION) });
    expect(raw.prepare(`SELECT incarnation FROM ticketflow_tickets WHERE ticket_id = 'T-old'`).get()).toEqual({
      incarnation: 'legacy:2025-12-01T00:00:00.000Z',
    });
    raw.close();
    // An old ticket keeps committing (legacy incarnation), keeps its events, and purge spares the busy one.
    const loaded = await store.load('T-old');
    expect(
      await store.commit({
        ticketId: 'T-old',
        expectedVersion: 3,
        ticket: { ...loaded!.ticket, status: 'resolved' } as TicketDoc,
        events: [{ type: 'next', at: 'now' }],
      }),
    ).toEqual({ ok: true, version: 4 });
    expect((await store.events('T-old')).map((event) => event.seq)).toEqual([1, 2]);
    expect(await store.purge({ before: '2026-02-01T00:00:00.000Z' })).toBe(2);
    expect((await store.list()).tickets.map((ticket) => ticket.ticketId)).toEqual(['T-busy']);
    await store.close();
  });

  it('§5 a row written without an incarnation column value (an older adapter after the upgrade) is compared through its document', async () => {
    const filename = versionOneFile();
    const store = new SqliteTicketStore({ filename, namespace: 'support' });
    await store.load('T-old');
    const raw = new Database(filename);
    raw.prepare(`UPDATE ticketflow_tickets SET incarnation = NULL WHERE ticket_id = 'T-old'`).run();
    raw.close();
    const loaded = await store.load('T-old');
    expect(await store.commit({ ticketId: 'T-old', expectedVersion: 3, ticket: loaded!.ticket, events: [] })).toEqual({ ok: true, version: 4 });
    expect(
      await store.commit({ ticketId: 'T-old', expectedVersion: 4, ticket: { ...loaded!.ticket, incarnation: 'another-life' } as TicketDoc, events: [] }),
    ).toEqual({ ok: false, reason: 'conflict', version: 4 });
    await store.close();
  });

  it('§5 purge never deletes a ticket whose document is busy, even when an older engine left its index columns stale (a rolling deploy)', async () => {
    const filename = versionOneFile();
    const store = new SqliteTicketStore({ filename, namespace: 'support' });
    await store.load('T-old');
    const raw = new Database(filename);
    // An older worker still running wrote the document (awaiting an approval) without the new index columns.
    raw
      .prepare(`UPDATE ticketflow_tickets SET document = ?, status = 'open' WHERE ticket_id = 'T-old'`)
      .run(legacyDocument('T-old', 'awaiting_approval', '2026-01-01T10:00:00.000Z'));
    raw.close();
    await store.purge({ before: '2030-01-01T00:00:00.000Z' }); // the file's other, idle ticket goes
    expect((await store.load('T-old'))?.ticket.status).toBe('awaiting_approval');
    await store.close();
  });

  it('§5 several processes opening a version 1 file at once upgrade it once', async () => {
    const filename = versionOneFile();
    const stores = Array.from({ length: 5 }, (_, index) => new SqliteTicketStore({ filename, namespace: index === 0 ? 'support' : `other-${index}` }));
    await Promise.all(stores.map((store) => store.list()));
    expect((await stores[0]!.list()).tickets).toHaveLength(3);
    await Promise.all(stores.map((store) => store.close()));
  });
});

describe('SqliteTicketStore query plans', () => {
  const plan = (database: Database.Database, query: ListQuery) => {
    const resolved = validateListQuery('sqlite', query);
    const statement = prepareSqliteStatements(database).list(resolved) as unknown as { source: string };
    return (database.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(...listParameters('support', resolved)) as { detail: string }[])
      .map((row) => row.detail)
      .join(' | ');
  };

  it('§5 list and purge are served by an index, never a scan of every ticket', async () => {
    const filename = join(directory, 'plans.db');
    const store = new SqliteTicketStore({ filename, namespace: 'support' });
    await store.list();
    await store.close();
    const database = new Database(filename);
    const cursor = (await new SqliteTicketStore({ database, namespace: 'support' }).list()).cursor ?? undefined;
    const queries: ListQuery[] = [
      {},
      { status: 'needs_human' },
      { status: ['executing', 'awaiting_approval'] },
      { updatedBefore: '2026-01-01T00:00:00.000Z', limit: 10 },
      { claimExpiredBefore: '2026-01-01T00:00:00.000Z', status: 'executing' },
      { status: 'open', updatedBefore: '2026-01-01T00:00:00.000Z', ...(cursor ? { cursor } : {}) },
    ];
    for (const query of queries) {
      const detail = plan(database, query);
      expect(detail, JSON.stringify(query)).toMatch(/SEARCH ticketflow_tickets USING (COVERING )?INDEX ticketflow_tickets_by_/);
      expect(detail, JSON.stringify(query)).not.toMatch(/SCAN ticketflow_tickets(?! USING)/);
    }
    const purgeSource = (prepareSqliteStatements(database).purgeCandidates as unknown as { source: string }).source;
    const purgePlan = (database.prepare(`EXPLAIN QUERY PLAN ${purgeSource}`).all('support', '2026-01-01T00:00:00.000Z', 10) as { detail: string }[])
      .map((row) => row.detail)
      .join(' | ');
    expect(purgePlan).toMatch(/SEARCH ticketflow_tickets USING INDEX ticketflow_tickets_by_updated/);
    database.close();
  });
});
