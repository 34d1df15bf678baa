import pg from 'pg';
import { StoreError } from '@ticketflow/core';
import type { TicketDoc } from '@ticketflow/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { requirePostgres, uniqueName } from '../test/require-postgres.js';
import { POSTGRES_SCHEMA_VERSION, quoteIdentifier } from './postgres-schema.js';
import { PostgresTicketStore } from './postgres-ticket-store.js';
import type { PostgresPool, PostgresTicketStoreOptions } from './postgres-ticket-store-options.js';

const postgres = await requirePostgres();
const namespace = uniqueName('tf_test');
const schemas: string[] = [];
const stores: PostgresTicketStore[] = [];
const admin = new pg.Pool({ connectionString: postgres.url, connectionTimeoutMillis: 3_000, max: 4 });
admin.on('error', () => {});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});
afterAll(async () => {
  if (postgres.available) {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    await admin.query(`DELETE FROM public.ticketflow_tickets WHERE namespace LIKE $1`, [`${namespace}%`]).catch(() => {});
  }
  await admin.end();
});

function open(options: Partial<PostgresTicketStoreOptions> & { pool?: PostgresPool }): PostgresTicketStore {
  const base = options.pool ? { pool: options.pool } : { connectionString: postgres.url };
  const store = new PostgresTicketStore({ namespace, ...base, ...options } as PostgresTicketStoreOptions);
  stores.push(store);
  return store;
}

function newSchema(): string {
  const schema = uniqueName('tf_schema');
  schemas.push(schema);
  return schema;
}

/** Wraps a pool's `query` to count round trips. */
function countingPool(pool: pg.Pool): { pool: PostgresPool; texts: string[] } {
  const texts: string[] = [];
  return { texts, pool: { query: (config) => (texts.push(config.text), pool.query(config)) } };
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), `expected a StoreError, got ${String(error)}`).toBe(true);
  return error as StoreError;
}

const ticket = (extra: Record<string, unknown> = {}) => ({ schemaVersion: 1, id: 'T-1', ...extra }) as unknown as TicketDoc;
const event = (type: string, data?: Record<string, unknown>) => ({ type, at: '2026-01-02T03:04:05.678Z', ...(data ? { data } : {}) });

describe.skipIf(!postgres.available)('PostgresTicketStore on a real server', () => {
  it('creates the schema once, records its version, and a second instance only reads it', async () => {
    const schema = newSchema();
    const first = open({ schema });
    await first.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('created')] });
    const { rows } = await admin.query(`SELECT name, value FROM ${quoteIdentifier(schema)}.ticketflow_meta`);
    expect(rows).toEqual([{ name: 'schema_version', value: String(POSTGRES_SCHEMA_VERSION) }]);

    const counted = countingPool(admin);
    const second = open({ schema, pool: counted.pool });
    expect((await second.load('T-1'))?.version).toBe(1);
    expect(counted.texts).toHaveLength(2); // the version check, then the load
    expect(counted.texts[0]).toMatch(/SELECT value FROM .*ticketflow_meta/);
    await second.load('T-1');
    expect(counted.texts).toHaveLength(3); // checked once per instance
  });

  it('initialises safely when 8 store instances with their own pools start on a new schema at once', async () => {
    const schema = newSchema();
    const instances = Array.from({ length: 8 }, (_, index) => open({ schema, namespace: `${namespace}_${index}` }));
    const results = await Promise.all(
      instances.map((store) => store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a')] })),
    );
    expect(results).toEqual(Array.from({ length: 8 }, () => ({ ok: true, version: 1 })));
    const { rows } = await admin.query(`SELECT count(*)::int AS tickets FROM ${quoteIdentifier(schema)}.ticketflow_tickets`);
    expect(rows[0].tickets).toBe(8);
  });

  it('refuses a database with a newer schema version as corrupt, with a clear message', async () => {
    const schema = newSchema();
    await open({ schema }).load('T-1');
    await admin.query(`UPDATE ${quoteIdentifier(schema)}.ticketflow_meta SET value = '99'`);
    const error = await failure(open({ schema }).load('T-1'));
    expect(error.kind).toBe('corrupt');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(`schema version 99, this adapter understands up to ${POSTGRES_SCHEMA_VERSION}`);
  });

  it('schema 3: no foreign key on the events (an event insert looks nothing up); a row trigger deletes them with their ticket', async () => {
    const schema = newSchema();
    const store = open({ schema });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a'), event('b')] });
    const events = `${quoteIdentifier(schema)}.ticketflow_events`;
    const { rows: keys } = await admin.query(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f'`, [events]);
    expect(keys).toEqual([]);
    const { rows: triggers } = await admin.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal`, [
      `${quoteIdentifier(schema)}.ticketflow_tickets`,
    ]);
    expect(triggers).toEqual([{ tgname: 'ticketflow_delete_events' }]);
    await store.delete('T-1');
    expect((await admin.query(`SELECT count(*)::int AS left FROM ${events}`)).rows[0].left).toBe(0);
  });

  it('creates its schema, function and trigger under a schema name holding quotes and a dollar-quote tag', async () => {
    const schema = `${newSchema().slice(0, 40)}'$ticketflow$"`;
    schemas.push(schema);
    const store = open({ schema });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a')] });
    await store.delete('T-1');
    expect(await store.events('T-1')).toEqual([]);
    const { rows } = await admin.query(`SELECT count(*)::int AS left FROM ${quoteIdentifier(schema)}.ticketflow_events`);
    expect(rows[0].left).toBe(0);
  });

  it('P3 a delete that waited for a commit in flight also removes the events that commit appended', async () => {
    const schema = newSchema();
    const store = open({ schema });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('created')] });
    const writer = await admin.connect();
    try {
      // A commit in flight: it holds the ticket's row and appends two events, not committed yet.
      await writer.query('BEGIN');
      await writer.query(`UPDATE ${quoteIdentifier(schema)}.ticketflow_tickets SET version = 2, last_seq = 3`);
      await writer.query(
        `INSERT INTO ${quoteIdentifier(schema)}.ticketflow_events (namespace, ticket_key, seq, event)
         SELECT namespace, ticket_key, s, '{"type":"late"}'::jsonb FROM ${quoteIdentifier(schema)}.ticketflow_tickets, generate_series(2, 3) AS s`,
      );
      const deleting = store.delete('T-1');
      await new Promise((resolve) => setTimeout(resolve, 200)); // the delete now waits for the row
      await writer.query('COMMIT');
      await deleting;
    } finally {
      writer.release();
    }
    expect(await store.load('T-1')).toBeNull();
    expect(await store.events('T-1')).toEqual([]);
    const { rows } = await admin.query(`SELECT count(*)::int AS left FROM ${quoteIdentifier(schema)}.ticketflow_events`);
    expect(rows[0].left).toBe(0);
    // The id can live again from seq 1 (no leftover event collides with it).
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('again')] })).toEqual({ ok: true, version: 1 });
  });

  it('T2 recreates the tables when they were dropped under a running store; it starts empty', async () => {
    const schema = newSchema();
    const store = open({ schema });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [] });
    await admin.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    expect(await store.load('T-1')).toBeNull();
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [] })).toEqual({ ok: true, version: 1 });
  });

  it('commit is one round trip (create, update, duplicate create), a stale one two (the loser reads the version), and load, events and delete are one each', async () => {
    const counted = countingPool(admin);
    const store = open({ pool: counted.pool });
    await store.load('warm-up');
    const roundTrips = async (work: () => Promise<unknown>) => {
      const before = counted.texts.length;
      await work();
      return counted.texts.length - before;
    };
    expect(await roundTrips(() => store.commit({ ticketId: 'T-rt', expectedVersion: null, ticket: ticket(), events: [event('a'), event('b')] }))).toBe(1);
    expect(await roundTrips(() => store.commit({ ticketId: 'T-rt', expectedVersion: 1, ticket: ticket({ n: 2 }), events: [event('c')] }))).toBe(1);
    expect(await roundTrips(() => store.commit({ ticketId: 'T-rt', expectedVersion: 1, ticket: ticket({ n: 3 }), events: [event('d')] }))).toBe(2);
    expect(await roundTrips(() => store.commit({ ticketId: 'T-rt', expectedVersion: null, ticket: ticket(), events: [] }))).toBe(1);
    expect(await roundTrips(() => store.load('T-rt'))).toBe(1);
    expect(await roundTrips(() => store.events('T-rt', { after: 1, limit: 5 }))).toBe(1);
    expect(await roundTrips(() => store.delete('T-rt'))).toBe(1);
  });

  it('T6 50 racing commits through 50 connections: one winner, every loser learns version 2 with one read more', async () => {
    const racers = new pg.Pool({ connectionString: postgres.url, max: 50 });
    try {
      await Promise.all(Array.from({ length: 50 }, () => racers.query('SELECT 1'))); // open all 50 connections first
      const counted = countingPool(racers);
      const store = open({ pool: counted.pool });
      await store.commit({ ticketId: 'T-race50', expectedVersion: null, ticket: ticket({ winner: null }), events: [event('created')] });
      const before = counted.texts.length;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          store.commit({ ticketId: 'T-race50', expectedVersion: 1, ticket: ticket({ winner: index }), events: [event('raced', { index })] }),
        ),
      );
      expect(counted.texts.length - before).toBe(50 + 49);
      const winners = results.filter((result) => result.ok);
      expect(winners).toEqual([{ ok: true, version: 2 }]);
      expect(results.filter((result) => !result.ok)).toEqual(Array.from({ length: 49 }, () => ({ ok: false, reason: 'conflict', version: 2 })));
      expect((await store.events('T-race50')).map((stored) => [stored.seq, stored.type])).toEqual([
        [1, 'created'],
        [2, 'raced'],
      ]);
    } finally {
      await racers.end();
    }
  });

  it('isolates namespaces that share the public schema, including ones with quotes and wildcards', async () => {
    const names = [`${namespace}_a`, `${namespace}_a'; DROP TABLE x; --`, `${namespace}_%`, `${namespace}_a_`];
    const byName = names.map((name) => open({ namespace: name }));
    for (const [index, store] of byName.entries()) {
      await store.commit({ ticketId: 'T-same', expectedVersion: null, ticket: ticket({ index }), events: Array.from({ length: index + 1 }, () => event('e')) });
    }
    await byName[0]!.delete('T-same');
    expect(await byName[0]!.load('T-same')).toBeNull();
    for (const [index, store] of byName.entries()) {
      if (index === 0) continue;
      expect(await store.load('T-same')).toEqual({ ticket: ticket({ index }), version: 1 });
      expect(await store.events('T-same')).toHaveLength(index + 1);
    }
  });

  it('accepts ticket ids far longer than an index entry can hold', async () => {
    const store = open({});
    const long = Array.from({ length: 4_000 }, (_, index) => String.fromCodePoint(0x4e00 + ((index * 7_919) % 20_000))).join('');
    await store.commit({ ticketId: long, expectedVersion: null, ticket: ticket(), events: [event('a')] });
    expect((await store.load(long))?.version).toBe(1);
    expect(await store.load(long.slice(0, -1))).toBeNull();
  });

  it('refuses documents jsonb cannot hold (NUL, lone surrogates) as invalid and writes nothing', async () => {
    const store = open({});
    for (const [index, bad] of ['a\u0000b', 'x\uD800y', 'x\uDC00'].entries()) {
      const ticketId = `T-invalid-${index}`;
      expect((await failure(store.commit({ ticketId, expectedVersion: null, ticket: ticket({ bad }), events: [] }))).kind).toBe('invalid');
      expect((await failure(store.commit({ ticketId, expectedVersion: null, ticket: ticket(), events: [event('e', { bad })] }))).kind).toBe('invalid');
      expect(await store.load(ticketId)).toBeNull();
    }
  });

  it('reports stored rows that are not JSON objects as corrupt', async () => {
    const ns = `${namespace}_corrupt`;
    const store = open({ namespace: ns });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a')] });
    await admin.query(`UPDATE public.ticketflow_tickets SET document = '"just a string"' WHERE namespace = $1`, [ns]);
    await admin.query(`UPDATE public.ticketflow_events SET event = '[1, 2]' WHERE namespace = $1`, [ns]);
    expect((await failure(store.load('T-1'))).kind).toBe('corrupt');
    expect((await failure(store.events('T-1'))).kind).toBe('corrupt');
  });

  it('leaves a pool passed in open on close, and ends the pool it created', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    try {
      const store = new PostgresTicketStore({ pool, namespace });
      await store.load('T-1');
      await store.close();
      await store.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect((await failure(store.load('T-1'))).kind).toBe('unavailable');
    } finally {
      await pool.end();
    }
    const owned = new PostgresTicketStore({ connectionString: postgres.url, namespace });
    await owned.load('T-1');
    await owned.close();
    expect((owned as unknown as { driver: { ownedPool: pg.Pool } }).driver.ownedPool.ending).toBe(true);
  });

  it('fails as unavailable within queryTimeoutMs when the row stays locked (server and client timeouts)', async () => {
    const ns = `${namespace}_locked`;
    const seed = open({ namespace: ns });
    await seed.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [] });
    const appPool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    const locker = await admin.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT 1 FROM public.ticketflow_tickets WHERE namespace = $1 FOR UPDATE`, [ns]);
      for (const store of [open({ namespace: ns, queryTimeoutMs: 500 }), open({ namespace: ns, queryTimeoutMs: 500, pool: appPool })]) {
        await store.load('T-1');
        const started = Date.now();
        const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket({ n: 2 }), events: [] }));
        expect(error.kind).toBe('unavailable');
        expect(Date.now() - started).toBeLessThan(3_000);
      }
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
      await appPool.end();
    }
    // The store's own pool sets a server-side statement_timeout, so its commit is cancelled.
    // The app's pool has none: its timed-out commit may still land once the lock is released,
    // so the outcome of an `unavailable` commit is unknown (the README says so) — never torn.
    const version = (await seed.load('T-1'))?.version;
    expect([1, 2]).toContain(version);
  });

  it('T5 maps an admin shutdown mid-commit to unavailable, and the next call works', async () => {
    const ns = `${namespace}_shutdown`;
    const applicationName = uniqueName('tf_victim');
    const appPool = new pg.Pool({ connectionString: postgres.url, max: 1, application_name: applicationName });
    appPool.on('error', () => {});
    const locker = await admin.connect();
    try {
      const store = open({ namespace: ns, pool: appPool });
      await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [] });
      await locker.query('BEGIN');
      await locker.query(`SELECT 1 FROM public.ticketflow_tickets WHERE namespace = $1 FOR UPDATE`, [ns]);
      const pending = failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket({ n: 2 }), events: [] }));
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const { rows } = await admin.query(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [applicationName],
        );
        if (rows.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const error = await pending;
      expect(error.kind).toBe('unavailable');
      await locker.query('ROLLBACK');
      expect(await store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket({ n: 2 }), events: [] })).toEqual({ ok: true, version: 2 });
    } finally {
      locker.release();
      await appPool.end();
    }
  });
});
