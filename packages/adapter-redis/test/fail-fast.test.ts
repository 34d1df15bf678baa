import { inspect } from 'node:util';
import { ConfigurationError, StoreError } from '@ticketflow/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisTicketStore, type RedisClientLike } from '../src/index.js';
import { closedPort } from '@ticketflow/core/testing';
import { startSilentServer } from './tcp-proxy.js';

// These tests need no Redis: they stage the failures with loopback sockets.

const SECRET = 'SuperSecret123';
const ticket = { id: 'T-1' } as never;
const stores: RedisTicketStore[] = [];
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
});

function open(options: ConstructorParameters<typeof RedisTicketStore>[0]): RedisTicketStore {
  const store = new RedisTicketStore(options);
  stores.push(store);
  return store;
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), String(error)).toBe(true);
  return error as StoreError;
}

function expectNoSecret(error: unknown): void {
  const text = `${String(error)}\n${inspect(error, { depth: 20, showHidden: true })}\n${JSON.stringify(error)}`;
  expect(text).not.toContain(SECRET);
}

describe('RedisTicketStore fails fast', () => {
  it('a refused connection fails as unavailable within 3 s, without the password', async () => {
    const port = await closedPort();
    for (const url of [`redis://:${SECRET}@127.0.0.1:1`, `redis://user:${SECRET}@127.0.0.1:${port}/2`, `redis://:${SECRET}@localhost:${port}`]) {
      const store = open({ url });
      const started = Date.now();
      const error = await failure(store.load('T-1'));
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error.kind).toBe('unavailable');
      expect(error.retryable).toBe(true);
      expect(error.adapter).toBe('redis');
      expect(error.message).toMatch(/^\[redis\] load failed: .*ECONNREFUSED/);
      expect(error.cause).toBeDefined();
      expectNoSecret(error);
      for (const operation of [store.commit({ ticketId: 'T-1', expectedVersion: null, ticket, events: [] }), store.events('T-1'), store.delete('T-1')]) {
        const other = await failure(operation);
        expect(other.kind).toBe('unavailable');
        expectNoSecret(other);
      }
    }
  });

  it('a server that accepts but never answers fails as unavailable within 10 s (default timeouts)', async () => {
    const silent = await startSilentServer();
    try {
      const store = open({ url: `redis://:${SECRET}@127.0.0.1:${silent.port}` });
      const started = Date.now();
      const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket, events: [] }));
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(10_000);
      expect(elapsed).toBeGreaterThanOrEqual(4_500);
      expect(error.kind).toBe('unavailable');
      expectNoSecret(error);
    } finally {
      await silent.close();
    }
  });

  it('a silent server with short timeouts fails within them, every time', async () => {
    const silent = await startSilentServer();
    try {
      const store = open({ url: `redis://127.0.0.1:${silent.port}`, connectTimeoutMs: 300, commandTimeoutMs: 300 });
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const started = Date.now();
        expect((await failure(store.load('T-1'))).kind).toBe('unavailable');
        expect(Date.now() - started).toBeLessThan(1_500);
      }
    } finally {
      await silent.close();
    }
  });

  it('a client passed in that never answers fails within commandTimeoutMs', async () => {
    const never = () => new Promise<never>(() => undefined);
    const client: RedisClientLike = { evalSha: never, eval: never, hmGet: never, lRange: never };
    const store = open({ client, commandTimeoutMs: 200 });
    const started = Date.now();
    const error = await failure(store.load('T-1'));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('RedisTicketStore options and lifecycle', () => {
  it('names a misspelt option and the closest valid one, listing every problem at once', () => {
    let caught: unknown;
    try {
      new RedisTicketStore({ url: 'redis://127.0.0.1', namespce: 'x', ttlMS: 5, commandTimeoutMs: 0 } as never);
    } catch (error) {
      caught = error;
    }
    expect(ConfigurationError.isInstance(caught)).toBe(true);
    expect((caught as ConfigurationError).issues).toEqual([
      'unknown option "namespce" — did you mean "namespace"?',
      'unknown option "ttlMS" — did you mean "ttlMs"?',
      'commandTimeoutMs: Too small: expected number to be >=1',
    ]);
  });

  it('refuses unusable options with a ConfigurationError', () => {
    const client: RedisClientLike = { evalSha: async () => 0, eval: async () => 0, hmGet: async () => 0, lRange: async () => 0 };
    const bad: unknown[] = [
      undefined,
      {},
      { url: 'redis://127.0.0.1', client },
      { url: '' },
      { client: {} },
      { client, namespace: '' },
      { client, namespace: 'x'.repeat(257) },
      { client, ttlMs: 0 },
      { client, ttlMs: 1.5 },
      { client, commandTimeoutMs: -1 },
      { client, connectTimeoutMs: Number.POSITIVE_INFINITY },
    ];
    for (const options of bad) {
      let error: unknown;
      try {
        new RedisTicketStore(options as never);
      } catch (caught) {
        error = caught;
      }
      expect(ConfigurationError.isInstance(error), JSON.stringify(options)).toBe(true);
    }
  });

  it('refuses a URL node-redis cannot parse, without echoing its password', () => {
    for (const url of [`http://:${SECRET}@127.0.0.1:6379`, `redis://:${SECRET}@127.0.0.1:6379/not-a-db`, `redis://:${SECRET}@[::1`]) {
      let error: unknown;
      try {
        new RedisTicketStore({ url });
      } catch (caught) {
        error = caught;
      }
      expect(ConfigurationError.isInstance(error), url).toBe(true);
      expectNoSecret(error);
    }
  });

  it('close() twice is fine, and a closed store fails with unavailable', async () => {
    const store = open({ url: `redis://127.0.0.1:${await closedPort()}` });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    const calls = {
      load: () => store.load('T-1'),
      events: () => store.events('T-1'),
      delete: () => store.delete('T-1'),
      commit: () => store.commit({ ticketId: 'T-1', expectedVersion: null, ticket, events: [] }),
    };
    for (const [name, call] of Object.entries(calls)) {
      const error = await failure(call());
      expect([error.kind, error.outcome]).toEqual(['unavailable', 'not_applied']);
      expect(error.message).toBe(`[redis] ${name} failed: the store is closed`);
    }
  });
});
