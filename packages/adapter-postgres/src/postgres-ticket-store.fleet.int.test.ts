import pg from 'pg';
import type { ListQuery, TicketDoc } from '@ticketflow/core';
import { validateListQuery } from '@ticketflow/core/adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { requirePostgres, uniqueName } from '../test/require-postgres.js';
import { POSTGRES_SCHEMA_VERSION, postgresTables, quoteIdentifier } from './postgres-schema.js';
import { postgresStatements } from './postgres-statements.js';
import { PostgresTicketStore } from './postgres-ticket-store.js';

const postgres = await requirePostgres();
const admin = new pg.Pool({ connectionString: postgres.url, max: 4 });
admin.on('error', () => {});
const schemas: string[] = [];
const stores: PostgresTicketStore[] = [];

afterAll(async () => {
  for (const store of stores) await store.close();
  if (postgres.available) for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await admin.end();
});

function newSchema(): string {
  const schema = uniqueName('tf_fleet');
  schemas.push(schema);
  return schema;
}

function open(schema: string, namespace: string): PostgresTicketStore {
  const store = new PostgresTicketStore({ pool: admin, schema, namespace });
  stores.push(store);
  return store;
}

/** The tables as version 1 of the adapter (0.1.0) created them. */
function versionOneScript(schema: string): string {
  const q = (table: string) => `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  return `
CREATE SCHEMA ${quoteIdentifier(schema)};
CREATE TABLE ${q('ticketflow_meta')} (name text PRIMARY KEY, value text NOT NULL);
CREATE TABLE ${q('ticketflow_tickets')} (namespace text NOT NULL, ticket_key bytea NOT NULL, ticket_id text NOT NULL, document jsonb NOT NULL,
  version integer NOT NULL, last_seq integer NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (namespace, ticket_key));
CREATE TABLE ${q('ticketflow_events')} (namespace text NOT NULL, ticket_key bytea NOT NULL, seq integer NOT NULL, event jsonb NOT NULL,
  PRIMARY KEY (namespace, ticket_key, seq), FOREIGN KEY (namespace, ticket_key) REFERENCES ${q('ticketflow_tickets')} (namespace, ticket_key) ON DELETE CASCADE);
INSERT INTO ${q('ticketflow_meta')} VALUES ('schema_version', '1');`;
}

async function insertVersionOneRow(schema: string, ticketId: string, document: Record<string, unknown>, version: number): Promise<void> {
  await admin.query(
    `INSERT INTO ${quoteIdentifier(schema)}.ticketflow_tickets (namespace, ticket_key, ticket_id, document, version, last_seq) VALUES ('support', sha256(convert_to($1, 'UTF8')), $1, $2::jsonb, $3, 0)`,
    [ticketId, JSON.stringify(document), version],
  );
}

describe.skipIf(!postgres.available)('PostgresTicketStore fleet operations on a real server', () => {
  it('§5 upgrades a version 1 schema in place: index columns filled from each document with ticketIndexOf', async () => {
    const schema = newSchema();
    await admin.query(versionOneScript(schema));
    await insertVersionOneRow(
      schema,
      'T-old',
      { id: 'T-old', createdAt: '2025-12-01T00:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z', status: 'needs_human' },
      3,
    );
    await insertVersionOneRow(
      schema,
      'T-busy',
      { id: 'T-busy', updatedAt: '2026-01-01T09:00:00.000Z', status: 'executing', execution: { leaseExpiresAt: Date.parse('2026-01-01T09:05:00.000Z') } },
      1,
    );
    const store = open(schema, 'support');
    expect((await store.list()).tickets).toEqual([
      { ticketId: 'T-busy', version: 1, status: 'executing', updatedAt: '2026-01-01T09:00:00.000Z', claimExpiresAt: '2026-01-01T09:05:00.000Z' },
      { ticketId: 'T-old', version: 3, status: 'needs_human', updatedAt: '2026-01-01T10:00:00.000Z', claimExpiresAt: null },
    ]);
    const { rows } = await admin.query(`SELECT value FROM ${quoteIdentifier(schema)}.ticketflow_meta WHERE name = 'schema_version'`);
    expect(rows).toEqual([{ value: String(POSTGRES_SCHEMA_VERSION) }]);
    const foreignKeys = await admin.query(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`, [
      `${quoteIdentifier(schema)}.ticketflow_events`,
    ]);
    expect(foreignKeys.rows).toEqual([]);
    const loaded = await store.load('T-old');
    expect(
      await store.commit({
        ticketId: 'T-old',
        expectedVersion: 3,
        ticket: { ...loaded!.ticket, status: 'resolved' } as TicketDoc,
        events: [{ type: 'next', at: 'now' }],
      }),
    ).toEqual({ ok: true, version: 4 });
    expect(await store.purge({ before: '2026-02-01T00:00:00.000Z' })).toBe(1);
    expect((await store.list()).tickets.map((ticket) => ticket.ticketId)).toEqual(['T-busy']);
  });

  it('§5 upgrades a version 2 schema: the foreign key on the events gives way to the delete trigger', async () => {
    const schema = newSchema();
    const tickets = `${quoteIdentifier(schema)}.ticketflow_tickets`;
    const events = `${quoteIdentifier(schema)}.ticketflow_events`;
    await open(schema, 'support').commit({ ticketId: 'T-1', expectedVersion: null, ticket: { id: 'T-1' } as unknown as TicketDoc, events: [] });
    // Back to what version 2 left: the foreign key, no trigger.
    await admin.query(`DROP TRIGGER ticketflow_delete_events ON ${tickets};
      ALTER TABLE ${events} ADD FOREIGN KEY (namespace, ticket_key) REFERENCES ${tickets} (namespace, ticket_key) ON DELETE CASCADE;
      UPDATE ${quoteIdentifier(schema)}.ticketflow_meta SET value = '2'`);
    const store = open(schema, 'support');
    await store.commit({
      ticketId: 'T-2',
      expectedVersion: null,
      ticket: { id: 'T-2' } as unknown as TicketDoc,
      events: [{ type: 'a', at: '2026-01-01T00:00:00.000Z' }],
    });
    expect((await admin.query(`SELECT value FROM ${quoteIdentifier(schema)}.ticketflow_meta`)).rows).toEqual([{ value: String(POSTGRES_SCHEMA_VERSION) }]);
    expect((await admin.query(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`, [events])).rows).toEqual([]);
    await store.delete('T-2');
    expect((await admin.query(`SELECT count(*)::int AS left FROM ${events}`)).rows[0].left).toBe(0);
  });

  it('§5 a row left without an incarnation (written by an older adapter) is compared through its document', async () => {
    const schema = newSchema();
    const store = open(schema, 'support');
    const ticket = { id: 'T-1', createdAt: '2025-12-01T00:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z', status: 'open' } as unknown as TicketDoc;
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket, events: [] });
    await admin.query(`UPDATE ${quoteIdentifier(schema)}.ticketflow_tickets SET incarnation = NULL`);
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: { ...ticket, incarnation: 'another-life' } as TicketDoc, events: [] })).toEqual({
      ok: false,
      reason: 'conflict',
      version: 1,
    });
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket, events: [] })).toEqual({ ok: true, version: 2 });
  });

  it('§5 purge never deletes a ticket whose document is busy, even when an older engine left its index columns stale (a rolling deploy)', async () => {
    const schema = newSchema();
    const store = open(schema, 'support');
    const ticket = { id: 'T-busy', createdAt: '2025-12-01T00:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z', status: 'open' } as unknown as TicketDoc;
    await store.commit({ ticketId: 'T-busy', expectedVersion: null, ticket, events: [] });
    // An older worker still running wrote the document (now awaiting an approval) without the new index columns.
    await admin.query(`UPDATE ${quoteIdentifier(schema)}.ticketflow_tickets SET document = jsonb_set(document, '{status}', '"awaiting_approval"')`);
    expect(await store.purge({ before: '2030-01-01T00:00:00.000Z' })).toBe(0);
    expect((await store.load('T-busy'))?.ticket.status).toBe('awaiting_approval');
  });

  it('§5 list and purge are served by an index, never a scan of every ticket (EXPLAIN)', async () => {
    const schema = newSchema();
    await open(schema, 'support').list();
    const table = `${quoteIdentifier(schema)}.ticketflow_tickets`;
    // 20,000 tickets of another namespace and 200 of ours, in many statuses, then statistics.
    await admin.query(`
      INSERT INTO ${table} (namespace, ticket_key, ticket_id, document, version, last_seq, updated_at, status, claim_expires_at, incarnation)
      SELECT CASE WHEN n % 100 = 0 THEN 'support' ELSE 'other' END, sha256(convert_to('T-' || n, 'UTF8')), 'T-' || n, '{}'::jsonb, 1, 0,
             timestamptz '2026-01-01' + n * interval '1 minute', (ARRAY['open','resolved','needs_human','executing','collecting'])[1 + n % 5],
             CASE WHEN n % 5 = 3 THEN timestamptz '2026-01-01' + n * interval '1 minute' END, 'inc'
      FROM generate_series(1, 20000) AS n`);
    await admin.query(`ANALYZE ${table}`);
    const statements = postgresStatements(postgresTables(schema));
    const cursor = (await open(schema, 'support').list({ limit: 5 })).cursor!;
    const queries: ListQuery[] = [
      {},
      { status: 'needs_human' },
      { status: ['executing', 'needs_human'], cursor },
      { updatedBefore: '2026-01-05T00:00:00.000Z', limit: 10 },
      { claimExpiredBefore: '2026-01-03T00:00:00.000Z', status: 'executing' },
    ];
    for (const query of queries) {
      const { text, values } = statements.list('support', validateListQuery('postgres', query));
      const plan = (await admin.query(`EXPLAIN ${text}`, values)).rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
      if (process.env.SHOW_PLANS) console.log(JSON.stringify(query), plan);
      expect(plan, JSON.stringify(query)).toMatch(/Index (Only )?Scan using ticketflow_tickets_by_|Bitmap Index Scan on ticketflow_tickets_by_/);
      expect(plan, JSON.stringify(query)).not.toMatch(/Seq Scan on ticketflow_tickets/);
    }
    const purgePlan = (await admin.query(`EXPLAIN ${statements.purge}`, ['support', '2026-01-05T00:00:00.000Z', 500])).rows
      .map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN'])
      .join('\n');
    expect(purgePlan).toMatch(/ticketflow_tickets_by_(updated|status)/);
    expect(purgePlan).not.toMatch(/Seq Scan on ticketflow_tickets/);
  });

  it('§5 purge with a limit takes tickets tied on updatedAt in list order (ticket id by code point), like every store', async () => {
    const store = open(newSchema(), 'ties');
    const updatedAt = '2020-01-01T00:00:00.000Z';
    // Inserted out of order; 'B' < 'a' < 'b' < 'é' by code point, not in most collations.
    for (const id of ['é', 'c', 'b', 'a', 'B']) {
      await store.commit({
        ticketId: id,
        expectedVersion: null,
        ticket: { id, updatedAt, status: 'resolved', incarnation: 'i' } as unknown as TicketDoc,
        events: [],
      });
    }
    const listed = (await store.list()).tickets.map((ticket) => ticket.ticketId);
    expect(listed).toEqual(['B', 'a', 'b', 'c', 'é']);
    const purgedOrder: string[] = [];
    for (let left = listed; left.length > 0;) {
      expect(await store.purge({ before: '2021-01-01T00:00:00.000Z', limit: 1 })).toBe(1);
      const now = (await store.list()).tickets.map((ticket) => ticket.ticketId);
      purgedOrder.push(...left.filter((id) => !now.includes(id)));
      left = now;
    }
    expect(purgedOrder).toEqual(listed);
  });

  it('§5 stores the longest namespace it accepts (256 characters, 3 bytes each in UTF-8): commit, list, purge', async () => {
    const namespace = '\u20ac'.repeat(256);
    const store = open(newSchema(), namespace);
    const ticket = { id: 'T-1', updatedAt: '2020-01-01T00:00:00.000Z', status: 'resolved', incarnation: 'i' } as unknown as TicketDoc;
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket, events: [{ type: 'created', at: 'now' }] })).toEqual({ ok: true, version: 1 });
    expect((await store.list({ status: 'resolved' })).tickets.map((summary) => summary.ticketId)).toEqual(['T-1']);
    expect(await store.purge({ before: '2021-01-01T00:00:00.000Z' })).toBe(1);
    expect(await store.load('T-1')).toBeNull();
  });

  it('P3 delete and purge leave no row of the ticket or its events (dead tuples stay until VACUUM: see the README)', async () => {
    const schema = newSchema();
    const store = open(schema, 'erase');
    const doc = (id: string, updatedAt: string) => ({ id, updatedAt, status: 'resolved', incarnation: 'i', note: 'MARKER-pg-erase' }) as unknown as TicketDoc;
    for (const [id, updatedAt] of [
      ['T-delete', '2026-05-01T00:00:00.000Z'],
      ['T-purge', '2025-01-01T00:00:00.000Z'],
      ['T-keep', '2026-05-01T00:00:00.000Z'],
    ] as const) {
      await store.commit({
        ticketId: id,
        expectedVersion: null,
        ticket: doc(id, updatedAt),
        events: [{ type: 'note', at: 'now', data: { text: 'MARKER-pg-erase' } }],
      });
    }
    await store.delete('T-delete');
    expect(await store.purge({ before: '2026-01-01T00:00:00.000Z' })).toBe(1);
    const count = async (table: string, column: string) =>
      (
        await admin.query(
          `SELECT count(*)::int AS n FROM ${quoteIdentifier(schema)}.${table} WHERE namespace = 'erase' AND position('MARKER-pg-erase' in ${column}::text) > 0`,
        )
      ).rows[0].n as number;
    expect(await count('ticketflow_tickets', 'document'), 'only T-keep still holds the text').toBe(1);
    expect(await count('ticketflow_events', 'event'), 'only the event of T-keep still holds the text').toBe(1);
  });
});
