import { StoreError } from '@ticketflow/core';
import type { TicketDoc } from '@ticketflow/core';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { dropNamespaces, randomNamespace, TEST_REDIS_URL, testRedisAvailable } from './redis-test-server.js';
import { closedPort } from '@ticketflow/core/testing';
import { TcpProxy } from './tcp-proxy.js';

const available = await testRedisAvailable('RedisTicketStore outcome');
const namespaces: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  if (available) await dropNamespaces(namespaces);
});

const ticket = (n: number) => ({ id: 'T-1', incarnation: 'inc-1', n }) as unknown as TicketDoc;

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), `expected a StoreError, got ${String(error)}`).toBe(true);
  return error as StoreError;
}

describe.runIf(available)('RedisTicketStore: what a rejection means (StoreError.outcome)', () => {
  it('T7 a commit script sent on a connection whose replies then stall rejects with outcome unknown — and it did run', async () => {
    const target = new URL(TEST_REDIS_URL);
    const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const namespace = randomNamespace('stall');
    namespaces.push(namespace);
    const store = new RedisTicketStore({ url: proxy.url(TEST_REDIS_URL), namespace, commandTimeoutMs: 800, connectTimeoutMs: 800 });
    const observer = new RedisTicketStore({ url: TEST_REDIS_URL, namespace });
    cleanups.push(
      () => store.close(),
      () => observer.close(),
    );
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] });
    proxy.stallReplies();
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: 1, ticket: ticket(2), events: [{ type: 'credit.applied', at: 'now' }] }));
    expect([error.kind, error.outcome, error.retryable]).toEqual(['unavailable', 'unknown', true]);
    expect(error.message).toContain('outcome unknown');
    expect((await observer.load('T-1'))?.version, 'the script ran although the caller got an error').toBe(2);
    const read = await failure(store.load('T-1'));
    expect(read.outcome, 'a read changes nothing').toBe('not_applied');
  });

  it('T7 a refused connection is outcome not_applied', async () => {
    const store = new RedisTicketStore({ url: `redis://127.0.0.1:${await closedPort()}`, namespace: randomNamespace('refused') });
    cleanups.push(() => store.close());
    const error = await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket(1), events: [] }));
    expect([error.kind, error.outcome]).toEqual(['unavailable', 'not_applied']);
  });
});

if (!available) it.skip('RedisTicketStore outcome (no Redis server, see the banner above)', () => undefined);
