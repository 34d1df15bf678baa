import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/ticketflow-error.js';
import { GuardedTicketStore } from './guarded-ticket-store.js';
import { MemoryStoreData, MemoryTicketStore } from './memory-ticket-store.js';
import { StoreError } from './store-error.js';
import type { TicketStoreDriver } from './ticket-store-driver.js';

/** A driver whose every method records its call and answers what the test says. */
function driver(overrides: Partial<TicketStoreDriver> = {}): TicketStoreDriver & { calls: string[] } {
  const calls: string[] = [];
  const record =
    <T>(name: string, value: T) =>
    async () => (calls.push(name), value);
  return {
    adapter: 'fake',
    calls,
    load: record('load', null),
    commit: record('commit', { ok: true as const, version: 1 }),
    events: record('events', []),
    delete: record('delete', undefined),
    list: record('list', []),
    purge: record('purge', 0),
    close: record('close', undefined),
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), String(error)).toBe(true);
  return error as StoreError;
}

describe('GuardedTicketStore (the adapter kit wrapper)', () => {
  it('§5 refuses bad arguments as invalid before the driver is called', async () => {
    const backend = driver();
    const store = new GuardedTicketStore(backend);
    expect((await failure(store.load(''))).kind).toBe('invalid');
    expect((await failure(store.commit({ ticketId: 'T', expectedVersion: 0, ticket: {} as never, events: [] }))).kind).toBe('invalid');
    expect((await failure(store.commit({ ticketId: 'T', expectedVersion: null, ticket: { note: 'a\u0000' } as never, events: [] }))).kind).toBe('invalid');
    expect((await failure(store.events('T', { limit: 0 }))).kind).toBe('invalid');
    expect((await failure(store.list({ limit: 5_000 }))).kind).toBe('invalid');
    expect((await failure(store.purge({ before: 'soon' }))).kind).toBe('invalid');
    expect(backend.calls).toEqual([]);
  });

  it('§5 decodes what the driver read, sets seq from the store and builds pages', async () => {
    const rows = [1, 2, 3].map((index) => ({
      ticketId: `T-${index}`,
      version: 1,
      status: 'open',
      updatedAt: '2026-01-01T00:00:00.000Z',
      claimExpiresAt: null,
    }));
    const store = new GuardedTicketStore(
      driver({
        load: async () => ({ document: Buffer.from('{"id":"T-1"}'), version: 3 }),
        events: async () => [{ seq: 7, event: '{"type":"a","at":"x","seq":99}' }],
        list: async () => rows,
      }),
    );
    expect(await store.load('T-1')).toEqual({ ticket: { id: 'T-1' }, version: 3 });
    expect(await store.events('T-1')).toEqual([{ type: 'a', at: 'x', seq: 7 }]);
    const page = await store.list({ limit: 2 });
    expect(page.tickets.map((ticket) => ticket.ticketId)).toEqual(['T-1', 'T-2']);
    expect(page.cursor).toEqual(expect.any(String));
  });

  it('§5 reports unreadable stored data as corrupt', async () => {
    const store = new GuardedTicketStore(driver({ load: async () => ({ document: '{"broken', version: 1 }), events: async () => [{ seq: 0, event: '{}' }] }));
    expect((await failure(store.load('T'))).kind).toBe('corrupt');
    expect((await failure(store.events('T'))).kind).toBe('corrupt');
  });

  it('§5 maps anything a driver throws to a StoreError: through its mapper, else unavailable with the right outcome', async () => {
    const boom = () => Promise.reject(new Error('socket hang up at redis://user:hunter22@db'));
    const plain = new GuardedTicketStore(driver({ load: boom, commit: boom }));
    const read = await failure(plain.load('T'));
    expect([read.kind, read.outcome]).toEqual(['unavailable', 'not_applied']);
    expect(read.message).not.toContain('hunter22');
    const write = await failure(plain.commit({ ticketId: 'T', expectedVersion: null, ticket: {} as never, events: [] }));
    expect([write.kind, write.outcome]).toEqual(['unavailable', 'unknown']);
    const mapped = new GuardedTicketStore(driver({ load: boom, toStoreError: () => new StoreError({ kind: 'corrupt', adapter: 'fake', message: 'mapped' }) }));
    expect((await failure(mapped.load('T'))).message).toBe('[fake] mapped');
  });

  it('§5 close waits for the operations in flight, closes the driver once, and refuses later calls with nothing applied', async () => {
    let release!: () => void;
    const backend = driver({ load: () => new Promise((resolve) => (release = () => resolve(null))) });
    const store = new GuardedTicketStore(backend);
    const pending = store.load('T');
    const closing = store.close();
    let closed = false;
    void closing.then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    release();
    await expect(pending).resolves.toBeNull();
    await closing;
    await store.close();
    expect(backend.calls).toEqual(['close']);
    const refused = await failure(store.commit({ ticketId: 'T', expectedVersion: null, ticket: {} as never, events: [] }));
    expect([refused.kind, refused.outcome, refused.message]).toEqual(['unavailable', 'not_applied', '[fake] commit failed: the store is closed']);
  });
});

describe('MemoryTicketStore options', () => {
  it('§5 refuses unknown or unusable options with a ConfigurationError naming the closest valid one', () => {
    expect(() => new MemoryTicketStore({ namespce: 'a' } as never)).toThrow(/unknown option "namespce" — did you mean "namespace"\?/);
    expect(() => new MemoryTicketStore({ data: {} as MemoryStoreData, namespace: 'x\u0000' })).toThrow(ConfigurationError);
    try {
      new MemoryTicketStore({ data: {} as MemoryStoreData, namespace: 'x\u0000', ttlMs: 5 } as never);
    } catch (error) {
      expect((error as ConfigurationError).issues).toHaveLength(3);
    }
  });
});
