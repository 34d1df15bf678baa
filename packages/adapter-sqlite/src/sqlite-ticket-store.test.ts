import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigurationError, StoreError } from '@ticketflow/core';
import type { TicketDoc, TicketStore } from '@ticketflow/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';
import { SqliteTicketStore } from './sqlite-ticket-store.js';

const directory = mkdtempSync(join(tmpdir(), 'ticketflow-sqlite-'));
const opened: TicketStore[] = [];
let fileCounter = 0;

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function newFile(): string {
  fileCounter += 1;
  return join(directory, `store-${fileCounter}.db`);
}

function open(options: ConstructorParameters<typeof SqliteTicketStore>[0]): SqliteTicketStore {
  const store = new SqliteTicketStore(options);
  opened.push(store);
  return store;
}

const ticket = (extra: Record<string, unknown> = {}): TicketDoc => ({ schemaVersion: 1, id: 'T-1', ...extra }) as unknown as TicketDoc;
const event = (type: string) => ({ type, at: '2026-01-02T03:04:05.678Z' });

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), `expected a StoreError, got ${String(error)}`).toBe(true);
  return error as StoreError;
}

describe('SqliteTicketStore', () => {
  it('creates the missing directories of filename and opens the file in WAL mode', async () => {
    const filename = join(directory, 'nested', 'deeper', 'tickets.db');
    const store = open({ filename });
    expect(existsSync(filename)).toBe(false);
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [] });
    expect(existsSync(filename)).toBe(true);
    const probe = new Database(filename, { readonly: true });
    expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
    probe.close();
  });

  it('works on :memory: with no set-up', async () => {
    const store = open({ filename: ':memory:' });
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a')] })).toEqual({ ok: true, version: 1 });
    expect(await store.load('T-1')).toEqual({ ticket: ticket(), version: 1 });
  });

  it('creates the schema once, records its version, and reopens an existing file without changes', async () => {
    const filename = newFile();
    for (let round = 0; round < 3; round += 1) {
      const store = open({ filename, namespace: `round-${round}` });
      await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket({ round }), events: [event('created')] });
      await store.close();
    }
    const probe = new Database(filename, { readonly: true });
    expect(probe.prepare('SELECT name, value FROM ticketflow_meta').all()).toEqual([{ name: 'schema_version', value: String(SQLITE_SCHEMA_VERSION) }]);
    expect(probe.prepare('SELECT count(*) AS tickets FROM ticketflow_tickets').get()).toEqual({ tickets: 3 });
    probe.close();
  });

  it('initialises safely when several stores open the same new file at once', async () => {
    const filename = newFile();
    const stores = Array.from({ length: 6 }, (_, index) => open({ filename, namespace: `n${index}` }));
    const results = await Promise.all(stores.map((store) => store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a')] })));
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('refuses a database with a newer schema version as corrupt, with a clear message', async () => {
    const filename = newFile();
    await open({ filename }).load('T-1');
    const raw = new Database(filename);
    raw.prepare(`UPDATE ticketflow_meta SET value = '99' WHERE name = 'schema_version'`).run();
    raw.close();
    const error = await failure(open({ filename }).load('T-1'));
    expect(error.kind).toBe('corrupt');
    expect(error.message).toContain(`schema version 99, this adapter understands up to ${SQLITE_SCHEMA_VERSION}`);
  });

  it('reports a stored document or event that is not JSON as corrupt', async () => {
    const filename = newFile();
    const store = open({ filename, namespace: 'ns' });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a')] });
    const raw = new Database(filename);
    raw.prepare(`UPDATE ticketflow_tickets SET document = '{"broken":' WHERE namespace = 'ns'`).run();
    raw.prepare(`UPDATE ticketflow_events SET event = 'not json' WHERE namespace = 'ns'`).run();
    raw.close();
    expect((await failure(store.load('T-1'))).kind).toBe('corrupt');
    expect((await failure(store.events('T-1'))).kind).toBe('corrupt');
  });

  it('reports a stored document that is JSON but not an object as corrupt', async () => {
    const filename = newFile();
    const store = open({ filename });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [] });
    const raw = new Database(filename);
    raw.prepare(`UPDATE ticketflow_tickets SET document = '[1,2]'`).run();
    raw.close();
    expect((await failure(store.load('T-1'))).kind).toBe('corrupt');
  });

  it('fails as unavailable after the busy timeout when another connection holds the write lock', async () => {
    const filename = newFile();
    const store = open({ filename, busyTimeoutMs: 300 });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [] });
    const other = new Database(filename);
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket({ n: 2 }), events: [] }));
      expect(error.kind).toBe('unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('SQLITE_BUSY');
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      expect(Date.now() - started).toBeLessThan(3_000);
      // Readers are not blocked by a writer in WAL mode.
      expect((await store.load('T-1'))?.version).toBe(1);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket({ n: 2 }), events: [] })).toEqual({ ok: true, version: 2 });
  });

  it('fails as unavailable when the file cannot be opened, and keeps trying on later calls', async () => {
    const blocked = join(directory, 'a-directory.db');
    mkdirSync(blocked);
    const store = open({ filename: blocked });
    const error = await failure(store.load('T-1'));
    expect(error.kind).toBe('unavailable');
    expect(error.adapter).toBe('sqlite');
    expect(error.message.startsWith('[sqlite] ')).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    expect((await failure(store.load('T-1'))).kind).toBe('unavailable');
  });

  it('leaves a database passed in open on close, and a closed store fails as unavailable', async () => {
    const database = new Database(':memory:');
    const store = open({ database, namespace: 'app' });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [event('a')] });
    await store.close();
    await store.close();
    expect(database.open).toBe(true);
    expect(database.prepare('SELECT count(*) AS events FROM ticketflow_events').get()).toEqual({ events: 1 });
    for (const call of [
      () => store.load('T-1'),
      () => store.events('T-1'),
      () => store.delete('T-1'),
      () => store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(), events: [] }),
    ]) {
      expect((await failure(call())).kind).toBe('unavailable');
    }
    database.close();
  });

  it('commits the expected version in one compare-and-set statement; only a lost commit reads the head', async () => {
    const database = new Database(':memory:');
    const executed: string[] = [];
    const counting = new Proxy(database, {
      get(target, property) {
        if (property !== 'prepare') return Reflect.get(target, property, target);
        return (sql: string) => {
          const statement = target.prepare(sql);
          const verb = sql.trim().split(/\s+/).slice(0, 3).join(' ');
          return new Proxy(statement, {
            get(inner, name) {
              const value = Reflect.get(inner, name, inner);
              if (name !== 'run' && name !== 'get' && name !== 'all') return typeof value === 'function' ? value.bind(inner) : value;
              return (...parameters: unknown[]) => (executed.push(verb), (value as (...p: unknown[]) => unknown).apply(inner, parameters));
            },
          });
        };
      },
    });
    const store = open({ database: counting, namespace: 'app' });
    const incarnation = { incarnation: 'life-1' };
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(incarnation), events: [event('a')] });
    executed.length = 0;
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket({ ...incarnation, n: 2 }), events: [event('b'), event('c')] })).toEqual({
      ok: true,
      version: 2,
    });
    expect(executed).toEqual(['UPDATE ticketflow_tickets SET', 'INSERT INTO ticketflow_events', 'INSERT INTO ticketflow_events']);
    executed.length = 0;
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket({ ...incarnation, n: 3 }), events: [event('d')] })).toEqual({
      ok: false,
      reason: 'conflict',
      version: 2,
    });
    expect(executed).toEqual(['UPDATE ticketflow_tickets SET', 'SELECT version, last_seq,']);
    expect((await store.events('T-1')).map((stored) => [stored.seq, stored.type])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    // A commit prepared for another life of the ticket loses, whatever its version.
    expect(await store.commit({ ticketId: 'T-1', expectedVersion: 2, ticket: ticket({ incarnation: 'life-0' }), events: [] })).toMatchObject({
      ok: false,
      version: 2,
    });
    database.close();
  });

  it('closes a file it opened; close twice is fine', async () => {
    const store = open({ filename: newFile() });
    await store.load('T-1');
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    expect((await failure(store.load('T-1'))).kind).toBe('unavailable');
  });

  it('refuses ticket ids with NUL or a lone surrogate, which the driver would merge into one row', async () => {
    const store = open({ filename: ':memory:' });
    for (const ticketId of ['bad-\uD800', 'bad-\uDC00', 'bad-\u0000']) {
      expect((await failure(store.commit({ ticketId, expectedVersion: null, ticket: ticket(), events: [] }))).kind).toBe('invalid');
      expect((await failure(store.load(ticketId))).kind).toBe('invalid');
    }
  });

  it('T4 refuses NUL characters and lone surrogates inside documents and events, like every store', async () => {
    const store = open({ filename: ':memory:' });
    for (const odd of [ticket({ nul: 'a\u0000b' }), ticket({ lone: 'x\uD800y' })]) {
      const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: odd, events: [] }));
      expect([error.kind, error.outcome]).toEqual(['invalid', 'not_applied']);
    }
    expect(
      (await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(), events: [{ type: 'odd', at: 'now', data: { nul: '\u0000' } }] })))
        .message,
    ).toContain('$.data.nul');
    expect(await store.load('T-1')).toBeNull();
  });

  it('refuses a document that is not JSON as invalid and writes nothing', async () => {
    const store = open({ filename: ':memory:' });
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket({ big: 1n }), events: [] }));
    expect(error.kind).toBe('invalid');
    expect(await store.load('T-1')).toBeNull();
  });

  it('throws a ConfigurationError for unusable options', () => {
    const bad = [
      {},
      { filename: '' },
      { filename: 'a.db', database: new Database(':memory:') },
      { filename: 'a.db', busyTimeoutMs: -1 },
      { filename: 'a.db', namespace: '\uD800' },
      { database: {} },
      { filename: 'a.db', busyTimeoutMs: 1.5 },
    ];
    for (const options of bad) {
      expect(() => new SqliteTicketStore(options as never), JSON.stringify(options)).toThrow(ConfigurationError);
    }
  });

  it('refuses options it cannot honour (ttlMs) and misspelt ones, listing every problem at once', () => {
    let caught: unknown;
    try {
      new SqliteTicketStore({ filename: 'a.db', ttlMs: 86_400_000, namespce: 'support', busyTimeoutMS: 10 } as never);
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expect((caught as ConfigurationError).issues).toEqual([
      'SqliteTicketStore does not support option "ttlMs": SQLite cannot expire rows by itself; retention is store.purge({ before }) (agent.purge({ olderThanMs }) on a schedule)',
      'unknown option "namespce" — did you mean "namespace"?',
      'unknown option "busyTimeoutMS" — did you mean "busyTimeoutMs"?',
    ]);
    expect(() => new SqliteTicketStore({ database: new Database(':memory:'), busyTimeoutMs: 100 })).not.toThrow();
  });
});
