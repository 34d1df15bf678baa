import { setTimeout as sleep } from 'node:timers/promises';
import type { TicketDoc } from '@ticketflow/core';
import { BUSY_STATUSES } from '@ticketflow/core/adapter';
import { HOSTILE_TICKET_IDS } from '@ticketflow/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import { DELETE_SCRIPT } from '../src/redis-scripts.js';
import { namespaceKeys, ticketKeys } from '../src/ticket-keys.js';
import { connectTestClient, dropNamespaces, randomNamespace, TEST_REDIS_URL, testRedisAvailable, type TestClient } from './redis-test-server.js';

const available = await testRedisAvailable('RedisTicketStore index of vanished tickets');
const namespaces = new Set<string>();
const stores: RedisTicketStore[] = [];
let redis: TestClient;

const FUTURE = '2999-01-01T00:00:00.000Z';

function open(namespace: string, ttlMs?: number): RedisTicketStore {
  namespaces.add(namespace);
  const store = new RedisTicketStore({ url: TEST_REDIS_URL, namespace, ttlMs });
  stores.push(store);
  return store;
}

function ticket(id: string, extra: Record<string, unknown> = {}): TicketDoc {
  return { id, incarnation: 'i', status: 'open', updatedAt: '2026-01-01T00:00:00.000Z', ...extra } as unknown as TicketDoc;
}

async function createAll(store: RedisTicketStore, ids: readonly string[], extra: (id: string) => Record<string, unknown> = () => ({})): Promise<void> {
  for (let start = 0; start < ids.length; start += 100) {
    await Promise.all(
      ids.slice(start, start + 100).map((id) => store.commit({ ticketId: id, expectedVersion: null, ticket: ticket(id, extra(id)), events: [] })),
    );
  }
}

async function listedIds(store: RedisTicketStore, query: Parameters<RedisTicketStore['list']>[0] = {}): Promise<string[]> {
  return (await store.list(query)).tickets.map((summary) => summary.ticketId);
}

/** How many entries the namespace's index still holds, per key. */
async function indexSizes(namespace: string): Promise<Record<string, number>> {
  const index = namespaceKeys(namespace);
  return {
    updated: await redis.zCard(index.updated),
    status: await redis.zCard(index.status),
    claims: await redis.zCard(index.claims),
    summaries: await redis.hLen(index.summaries),
    expiry: await redis.zCard(index.expiry),
  };
}

const empty = { updated: 0, status: 0, claims: 0, summaries: 0, expiry: 0 };

describe.runIf(available)('RedisTicketStore never lists a ticket that no longer exists', () => {
  beforeAll(async () => {
    redis = await connectTestClient();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropNamespaces(namespaces);
    redis?.destroy();
  });

  it('§5 list and purge see none of 1,200 tickets whose keys expired (ttlMs), and their index entries are gone', async () => {
    const namespace = randomNamespace('expired');
    const store = open(namespace, 500);
    await createAll(
      store,
      Array.from({ length: 1_200 }, (_, index) => `T${String(index).padStart(4, '0')}`),
    );
    await sleep(800);
    expect(await listedIds(store, { limit: 1_000 })).toEqual([]);
    expect(await indexSizes(namespace)).toEqual(empty);
    expect(await store.purge({ before: FUTURE })).toBe(0);
  });

  it('§5 a store without ttlMs on a namespace whose tickets another store let expire lists none of them and purges nothing', async () => {
    const namespace = randomNamespace('expired_other');
    const worker = open(namespace, 300);
    const admin = open(namespace);
    await worker.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket('T-1'), events: [] });
    await admin.commit({ ticketId: 'T-kept', expectedVersion: null, ticket: ticket('T-kept'), events: [] });
    await sleep(600);
    expect(await admin.load('T-1')).toBeNull();
    expect(await listedIds(admin)).toEqual(['T-kept']);
    expect(await admin.purge({ before: FUTURE })).toBe(1);
    expect(await indexSizes(namespace)).toEqual(empty);
  });

  it('§5 skips and cleans index entries of tickets removed behind its back (eviction), in every list mode, and pages stay full', async () => {
    const namespace = randomNamespace('evicted');
    const store = open(namespace);
    const ids = Array.from({ length: 12 }, (_, index) => `T-${String(index).padStart(2, '0')}`);
    await createAll(store, ids, (id) => ({
      status: Number(id.slice(2)) % 2 === 0 ? 'open' : 'needs_human',
      updatedAt: `2026-01-01T00:00:${id.slice(2)}.000Z`,
      execution: { leaseExpiresAt: Date.parse('2026-01-01T00:00:00.000Z') },
    }));
    const gone = ['T-00', 'T-01', 'T-02', 'T-03', 'T-05', 'T-06', 'T-09'];
    for (const id of gone) await redis.unlink(ticketKeys(namespace, id).document);
    const live = ids.filter((id) => !gone.includes(id));

    const first = await store.list({ limit: 2 });
    expect(first.tickets.map((summary) => summary.ticketId)).toEqual(['T-04', 'T-07']);
    const second = await store.list({ limit: 2, cursor: first.cursor! });
    expect(second.tickets.map((summary) => summary.ticketId)).toEqual(['T-08', 'T-10']);
    expect(await listedIds(store, { status: ['open', 'needs_human'] })).toEqual(live);
    expect(await listedIds(store, { claimExpiredBefore: FUTURE })).toEqual(live);
    expect(await indexSizes(namespace)).toEqual({ updated: live.length, status: live.length, claims: live.length, summaries: live.length, expiry: 0 });
    expect(await store.purge({ before: FUTURE })).toBe(live.length);
    expect(await indexSizes(namespace)).toEqual(empty);
  });

  it('§5 finds the keys of hostile and arbitrary ticket ids while checking that listed tickets exist', async () => {
    const namespace = randomNamespace('ids');
    const store = open(namespace);
    const hostile = [...new Set(HOSTILE_TICKET_IDS)];
    await createAll(store, hostile);
    expect((await listedIds(store, { limit: 1_000 })).sort()).toEqual([...hostile].sort());
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.oneof(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1 })), { minLength: 1, maxLength: 20 }),
        async (ids) => {
          const propertyNamespace = randomNamespace('ids_property');
          const propertyStore = open(propertyNamespace);
          const valid = ids.filter((id) => !id.includes('\u0000'));
          await createAll(propertyStore, valid);
          expect((await listedIds(propertyStore, { limit: 1_000 })).sort()).toEqual([...valid].sort());
        },
      ),
      { numRuns: 25 },
    );
  });

  it('P3 the delete script counts a purge only when it removed the ticket itself, not a leftover index entry', async () => {
    const namespace = randomNamespace('leftover');
    const store = open(namespace);
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: ticket('T-1'), events: [{ type: 'created', at: 'now' }] });
    const keys = ticketKeys(namespace, 'T-1');
    await redis.unlink(keys.document);
    const index = namespaceKeys(namespace);
    const purged = await redis.eval(DELETE_SCRIPT.source, {
      keys: [keys.document, keys.events, index.updated, index.status, index.claims, index.summaries, index.expiry],
      arguments: ['T-1', 'purge', String(Date.parse(FUTURE)), ...BUSY_STATUSES],
    });
    expect(purged).toBe(0);
    expect(await indexSizes(namespace)).toEqual(empty);
    expect(await redis.exists(keys.events)).toBe(0);
  });
});
