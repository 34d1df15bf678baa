import pg from 'pg';
import { StoreError } from '@ticketflow/core';
import type { TicketDoc } from '@ticketflow/core';
import { afterAll, describe, expect, it } from 'vitest';
import { requirePostgres, uniqueName } from '../test/require-postgres.js';
import { closedPort } from '@ticketflow/core/testing';
import { TcpProxy } from '../test/tcp-proxy.js';
import { quoteIdentifier } from './postgres-schema.js';
import { PostgresTicketStore } from './postgres-ticket-store.js';

const postgres = await requirePostgres();
const schema = uniqueName('tf_outcome');
const admin = new pg.Pool({ connectionString: postgres.url, max: 3 });
admin.on('error', () => {});
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  if (postgres.available) await admin.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
  await admin.end();
});

const ticket = (n: number) => ({ schemaVersion: 1, id: 'T-1', incarnation: 'inc-1', n }) as unknown as TicketDoc;

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), `expected a StoreError, got ${String(error)}`).toBe(true);
  return error as StoreError;
}

async function storedVersion(namespace: string): Promise<number | null> {
  const { rows } = await admin.query(`SELECT version FROM ${quoteIdentifier(schema)}.ticketflow_tickets WHERE namespace = $1`, [namespace]);
  return rows.length === 0 ? null : Number(rows[0].version);
}

async function proxyToPostgres(): Promise<TcpProxy> {
  const target = new URL(postgres.url);
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.start();
  cleanups.push(() => proxy.stop());
  return proxy;
}

describe.skipIf(!postgres.available)('PostgresTicketStore: what a rejection means (StoreError.outcome)', () => {
  it('T7 a commit sent on a connection that then stalls rejects as unavailable with outcome unknown — and it did land', async () => {
    const proxy = await proxyToPostgres();
    const namespace = uniqueName('stall');
    const store = new PostgresTicketStore({ connectionString: proxy.url(postgres.url), namespace, schema, queryTimeoutMs: 1_000, maxConnections: 1 });
    cleanups.push(() => store.close());
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    proxy.stallReplies();
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [{ type: 'credit.applied', at: 'now' }] }));
    expect([error.kind, error.outcome, error.retryable]).toEqual(['unavailable', 'unknown', true]);
    expect(error.message).toContain('outcome unknown');
    for (let attempt = 0; attempt < 40 && (await storedVersion(namespace)) !== 2; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await storedVersion(namespace), 'the commit reached the server and was applied although the caller got an error').toBe(2);
  });

  it('T7 the same through a pool passed in that only has query(): still unknown', async () => {
    const proxy = await proxyToPostgres();
    const namespace = uniqueName('stall_pool');
    const pool = new pg.Pool({ connectionString: proxy.url(postgres.url), max: 1 });
    pool.on('error', () => {});
    cleanups.push(() => pool.end());
    const store = new PostgresTicketStore({ pool: { query: (config) => pool.query(config) }, namespace, schema, queryTimeoutMs: 1_000 });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    proxy.stallReplies();
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [] }));
    expect([error.kind, error.outcome]).toEqual(['unavailable', 'unknown']);
  });

  it('T7 a commit that lost its compare-and-set, then lost the connection while reading the winner, is not_applied', async () => {
    const namespace = uniqueName('lost_then_cut');
    const real = new PostgresTicketStore({ pool: admin, namespace, schema });
    await real.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    await real.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [] });
    // A pool whose connections break on the loser's follow-up read (the version statement).
    const cut = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    const pool = {
      query: (config: pg.QueryConfig) => admin.query(config),
      connect: async () => {
        const client = await admin.connect();
        return {
          query: (config: pg.QueryConfig) => (/^SELECT version, incarnation IS NULL/.test(config.text) ? Promise.reject(cut) : client.query(config)),
          release: (error?: Error | boolean) => client.release(error === undefined ? undefined : true),
        };
      },
    };
    const store = new PostgresTicketStore({ pool: pool as never, namespace, schema });
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(3), events: [{ type: 'credit.applied', at: 'now' }] }));
    expect([error.kind, error.outcome]).toEqual(['unavailable', 'not_applied']);
    expect(await storedVersion(namespace)).toBe(2);
  });

  it('T7 a refused connection is outcome not_applied: nothing reached the server', async () => {
    const store = new PostgresTicketStore({ connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test`, schema });
    cleanups.push(() => store.close());
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] }));
    expect([error.kind, error.outcome]).toEqual(['unavailable', 'not_applied']);
    expect(error.message).not.toContain('outcome unknown');
  });

  it('T7 a pool checkout that times out is outcome not_applied', async () => {
    const namespace = uniqueName('checkout');
    const store = new PostgresTicketStore({
      connectionString: postgres.url,
      namespace,
      schema,
      maxConnections: 1,
      connectTimeoutMs: 400,
      queryTimeoutMs: 5_000,
    });
    cleanups.push(() => store.close());
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    const locker = await admin.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`SELECT 1 FROM ${quoteIdentifier(schema)}.ticketflow_tickets WHERE namespace = $1 FOR UPDATE`, [namespace]);
      const holding = store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [] }); // waits on the row lock, holding the only connection
      await new Promise((resolve) => setTimeout(resolve, 100));
      const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(3), events: [] }));
      expect([error.kind, error.outcome]).toEqual(['unavailable', 'not_applied']);
      expect(error.message).toMatch(/timeout exceeded when trying to connect/);
      await locker.query('ROLLBACK');
      expect(await holding).toEqual({ ok: true, version: 2 });
    } finally {
      locker.release();
    }
  });

  it('T7 a statement the server refuses (a serialisation or constraint error) is outcome not_applied', async () => {
    const namespace = uniqueName('refused');
    const store = new PostgresTicketStore({ connectionString: postgres.url, namespace, schema });
    cleanups.push(() => store.close());
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    await admin.query(
      `ALTER TABLE ${quoteIdentifier(schema)}.ticketflow_events ADD CONSTRAINT tf_no_forbidden CHECK (event->>'type' <> 'forbidden') NOT VALID`,
    );
    cleanups.push(() => admin.query(`ALTER TABLE ${quoteIdentifier(schema)}.ticketflow_events DROP CONSTRAINT IF EXISTS tf_no_forbidden`));
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [{ type: 'forbidden', at: 'now' }] }));
    expect(error.outcome).toBe('not_applied');
    expect(await storedVersion(namespace)).toBe(1);
  });
});
