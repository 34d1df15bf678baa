import { StoreError, type TicketDoc } from '@ticketflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { dropNamespaces, randomNamespace, TEST_REDIS_URL, testRedisAvailable } from './redis-test-server.js';
import { TcpProxy } from './tcp-proxy.js';

const available = await testRedisAvailable('RedisTicketStore reconnects');

async function kindOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), String(error)).toBe(true);
  return (error as StoreError).kind;
}

describe.runIf(available)('RedisTicketStore through a failing network', () => {
  const namespace = randomNamespace('reconnect');
  let proxy: TcpProxy;
  let store: RedisTicketStore;
  let version = 0;

  const commit = () =>
    store.commit({ ticketId: 'T-1', expectedVersion: version === 0 ? null : version, ticket: { step: version } as unknown as TicketDoc, events: [] });

  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.start();
    store = new RedisTicketStore({ url: proxy.url(TEST_REDIS_URL), namespace, connectTimeoutMs: 1_000, commandTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await store?.close();
    await proxy?.stop();
    await dropNamespaces([namespace]);
  });

  it('a server that stops answering mid-connection fails within the command timeout, then recovers', async () => {
    const result = await commit();
    expect(result.ok).toBe(true);
    version = result.version!;
    proxy.blackhole();
    const started = Date.now();
    expect(await kindOf(store.load('T-1'))).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await kindOf(store.load('T-1'))).toBe('unavailable');
    proxy.forward();
    expect((await store.load('T-1'))?.version).toBe(version);
  });

  it('a server that goes away fails fast as unavailable, and the store works again once it is back', async () => {
    await proxy.stop();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const started = Date.now();
      expect(await kindOf(store.load('T-1'))).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(2_500);
    }
    await proxy.start();
    const result = await commit();
    expect(result).toEqual({ ok: true, version: version + 1 });
  });

  it('blips never leave connections behind: each drop during the reconnect back-off costs no extra connection, and close() leaves none', async () => {
    const blips = new RedisTicketStore({ url: proxy.url(TEST_REDIS_URL), namespace, connectTimeoutMs: 1_000, commandTimeoutMs: 1_000 });
    await store.close(); // only this test's store goes through the proxy now
    try {
      await blips.load('T-1');
      for (let blip = 0; blip < 6; blip += 1) {
        proxy.dropConnections();
        await new Promise((resolve) => setTimeout(resolve, 1)); // the next request arrives during node-redis' back-off
        await blips.load('T-1').catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 300)); // past every back-off of a pending reconnect
        expect(proxy.openConnections, `after blip ${blip + 1}`).toBeLessThanOrEqual(1);
      }
      expect(await blips.load('T-1')).not.toBeNull();
    } finally {
      await blips.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(proxy.openConnections).toBe(0);
  });
});

if (!available) it.skip('RedisTicketStore through a failing network (no Redis server, see the banner above)', () => undefined);
