import type { TicketDoc } from '@ticketflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { encodeKeyPart, legacyTicketKeys, namespaceKeys, ticketKeys } from '../src/ticket-keys.js';
import { connectTestClient, dropNamespaces, keysOf, randomNamespace, TEST_REDIS_URL, testRedisAvailable, type TestClient } from './redis-test-server.js';

const available = await testRedisAvailable('RedisTicketStore key layout upgrade');
const namespaces: string[] = [];
const stores: RedisTicketStore[] = [];
let redis: TestClient;

/** Writes a ticket the way adapter 0.1 did: `tf:<ns>:{<id>}:doc` and `…:events`. */
async function writeLayoutOne(namespace: string, ticketId: string, document: Record<string, unknown>, events: string[], ttlMs?: number): Promise<void> {
  const keys = legacyTicketKeys(encodeKeyPart(namespace), encodeKeyPart(ticketId));
  await redis.hSet(keys.document, { version: '3', seq: String(events.length), document: JSON.stringify(document) });
  if (events.length > 0)
    await redis.rPush(
      keys.events,
      events.map((event, index) => `{"seq":${index + 1},${event.slice(1)}`),
    );
  if (ttlMs !== undefined) {
    await redis.pExpire(keys.document, ttlMs);
    if (events.length > 0) await redis.pExpire(keys.events, ttlMs);
  }
}

function open(namespace: string): RedisTicketStore {
  const store = new RedisTicketStore({ url: TEST_REDIS_URL, namespace });
  stores.push(store);
  return store;
}

describe.runIf(available)('RedisTicketStore upgrades the key layout of adapter 0.1', () => {
  beforeAll(async () => {
    redis = await connectTestClient();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropNamespaces(namespaces);
    redis?.destroy();
  });

  it('§5 moves every ticket of a namespace under its hash tag, builds the index, keeps events, TTLs and legacy incarnations', async () => {
    const namespace = randomNamespace('upgrade');
    const neighbour = randomNamespace('neighbour');
    namespaces.push(namespace, neighbour);
    const odd = 'T {odd}:*';
    await writeLayoutOne(
      namespace,
      'T-old',
      { id: 'T-old', createdAt: '2025-12-01T00:00:00.000Z', updatedAt: '2026-01-01T10:00:00.000Z', status: 'needs_human' },
      ['{"type":"created","at":"x"}', '{"type":"asked","at":"y"}'],
    );
    await writeLayoutOne(
      namespace,
      odd,
      { id: odd, updatedAt: '2026-01-01T09:00:00.000Z', status: 'executing', execution: { leaseExpiresAt: Date.parse('2026-01-01T09:05:00.000Z') } },
      [],
      600_000,
    );
    await writeLayoutOne(neighbour, 'T-other', { id: 'T-other', updatedAt: '2026-01-01T00:00:00.000Z' }, []);

    const [first, second] = [open(namespace), open(namespace)]; // two processes start at once: one upgrades, the other waits
    const [pageOne, pageTwo] = await Promise.all([first.list(), second.list()]);
    expect(pageOne).toEqual(pageTwo);
    expect(pageOne.tickets).toEqual([
      { ticketId: odd, version: 3, status: 'executing', updatedAt: '2026-01-01T09:00:00.000Z', claimExpiresAt: '2026-01-01T09:05:00.000Z' },
      { ticketId: 'T-old', version: 3, status: 'needs_human', updatedAt: '2026-01-01T10:00:00.000Z', claimExpiresAt: null },
    ]);
    expect((await first.events('T-old')).map((event) => [event.seq, event.type])).toEqual([
      [1, 'created'],
      [2, 'asked'],
    ]);
    const index = namespaceKeys(namespace);
    expect(await keysOf(redis, namespace)).toEqual(
      [
        ticketKeys(namespace, 'T-old').document,
        ticketKeys(namespace, 'T-old').events,
        ticketKeys(namespace, odd).document,
        index.meta,
        index.updated,
        index.status,
        index.claims,
        index.summaries,
        index.expiry,
      ].sort(),
    );
    expect(await redis.pTTL(ticketKeys(namespace, odd).document)).toBeGreaterThan(500_000);
    expect(await redis.hGet(ticketKeys(namespace, 'T-old').document, 'inc')).toBe('legacy:2025-12-01T00:00:00.000Z');
    const loaded = await first.load('T-old');
    expect(
      await first.commit({
        ticketId: 'T-old',
        expectedVersion: 3,
        ticket: { ...loaded!.ticket, status: 'resolved' } as TicketDoc,
        events: [{ type: 'next', at: 'z' }],
      }),
    ).toEqual({ ok: true, version: 4 });
    expect((await first.events('T-old')).map((event) => event.seq)).toEqual([1, 2, 3]);
    // The neighbour namespace is left to its own first store.
    expect(await keysOf(redis, neighbour)).toEqual([legacyTicketKeys(encodeKeyPart(neighbour), 'T-other').document]);
    expect((await open(neighbour).load('T-other'))?.version).toBe(3);
  });
});

if (!available) it.skip('RedisTicketStore key layout upgrade (no Redis server, see the banner above)', () => undefined);
