import { setTimeout as sleep } from 'node:timers/promises';
import type { TicketDoc } from '@ticketflow/core';
import { BUSY_STATUSES } from '@ticketflow/core/adapter';
import { HOSTILE_TICKET_IDS } from '@ticketflow/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore } from '../src/index.js';
import type { RedisClientLike } from '../src/index.js';
import { DELETE_SCRIPT, LIST_SCRIPT_BUDGET } from '../src/redis-scripts.js';
import { namespaceKeys, ticketKeys } from '../src/ticket-keys.js';
import { connectTestClient, dropNamespaces, randomNamespace, TEST_REDIS_URL, testRedisAvailable, type TestClient } from './redis-test-server.js';

const available = await testRedisAvailable('RedisTicketStore index of vanished tickets');
const namespaces = new Set<string>();
const stores: RedisTicketStore[] = [];
const clients: TestClient[] = [];
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

/** What one script call did: index entries it dropped (summaries gone) and summaries it returned. */
interface ScriptCall {
  dropped: number;
  returned: number;
}

/**
 * A client for the store that records, per script call, how many index entries the call
 * dropped (the namespace's summaries before and after: nothing else writes meanwhile) and how
 * many summaries it returned — the work one atomic call did.
 */
async function watchedClient(namespace: string): Promise<{ client: RedisClientLike; calls: ScriptCall[] }> {
  const own = await connectTestClient();
  clients.push(own);
  const calls: ScriptCall[] = [];
  const summaries = namespaceKeys(namespace).summaries;
  const watch = async (run: () => Promise<unknown>): Promise<unknown> => {
    const before = await redis.hLen(summaries);
    const reply = await run();
    calls.push({ dropped: before - (await redis.hLen(summaries)), returned: summariesIn(reply) });
    return reply;
  };
  const client: RedisClientLike = {
    evalSha: (sha1, options) => watch(() => own.evalSha(sha1, options)),
    eval: (source, options) => watch(() => own.eval(source, options)),
    hmGet: (key, fields) => own.hmGet(key, fields),
    lRange: (key, start, stop) => own.lRange(key, start, stop),
  };
  return { client, calls };
}

/** Summaries in a script reply, however nested: the JSON arrays. */
function summariesIn(reply: unknown): number {
  if (Array.isArray(reply)) return reply.reduce((total: number, item: unknown) => total + summariesIn(item), 0);
  return typeof reply === 'string' && reply.startsWith('[') ? 1 : 0;
}

async function unlinkDocuments(namespace: string, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 500) {
    await redis.unlink(ids.slice(start, start + 500).map((id) => ticketKeys(namespace, id).document));
  }
}

async function allPages(store: RedisTicketStore, query: { limit: number; status?: string[]; claimExpiredBefore?: string }): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ ...query, cursor });
    pages.push(page.tickets.map((summary) => summary.ticketId));
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
  return pages;
}

/** `[1, 2, 3, 4, 5, 6, 7]` in pages of 3: `[[1, 2, 3], [4, 5, 6], [7]]`. */
function inPages<T>(items: readonly T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += size) pages.push(items.slice(start, start + size));
  return pages.length === 0 ? [[]] : pages;
}

describe.runIf(available)('RedisTicketStore never lists a ticket that no longer exists', () => {
  beforeAll(async () => {
    redis = await connectTestClient();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    for (const client of clients) client.destroy();
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

  it('§5 one list call examines at most 1,000 stale entries per script call: 5,000 tickets removed behind its back cost several calls, and every page is full', async () => {
    const namespace = randomNamespace('evicted_many');
    const { client, calls } = await watchedClient(namespace);
    const store = new RedisTicketStore({ client, namespace });
    namespaces.add(namespace);
    stores.push(store);
    const ids = Array.from({ length: 5_010 }, (_, index) => `T${String(index).padStart(5, '0')}`);
    await createAll(store, ids);
    const live = ['T00000', 'T01000', 'T02001', 'T03999', 'T04500', 'T05000', 'T05001', 'T05005', 'T05008', 'T05009'];
    await unlinkDocuments(
      namespace,
      ids.filter((id) => !live.includes(id)),
    );

    calls.length = 0;
    expect(await allPages(store, { limit: 3 })).toEqual(inPages(live, 3));
    expect(Math.max(...calls.map((call) => call.dropped))).toBeLessThanOrEqual(LIST_SCRIPT_BUDGET);
    expect(calls.length).toBeGreaterThanOrEqual(5_000 / LIST_SCRIPT_BUDGET);
    expect(calls.every((call) => call.returned <= 4)).toBe(true);
    expect(await indexSizes(namespace)).toEqual({ updated: live.length, status: live.length, claims: 0, summaries: live.length, expiry: 0 });

    // Nothing stale left: a page is one call again.
    calls.length = 0;
    expect(await allPages(store, { limit: 1_000 })).toEqual([live]);
    expect(calls).toEqual([{ dropped: 0, returned: live.length }]);
  });

  it('§5 status and claim lists and purge stay exact and bounded per script call over more stale entries than one call examines', async () => {
    const namespace = randomNamespace('evicted_modes');
    const { client, calls } = await watchedClient(namespace);
    const store = new RedisTicketStore({ client, namespace });
    namespaces.add(namespace);
    stores.push(store);
    const claimed = (id: string) => ({
      status: Number(id.slice(1)) % 2 === 0 ? 'open' : 'needs_human',
      // Many claims share an expiry: continuing after one of them must neither skip nor repeat the others.
      execution: { leaseExpiresAt: Date.parse('2026-01-01T00:00:00.000Z') + (Number(id.slice(1)) % 3) },
    });
    const check = async (label: string, count: number, query: () => Promise<unknown>) => {
      const ids = Array.from({ length: count }, (_, index) => `${label}${String(index).padStart(5, '0')}`);
      await createAll(store, ids, claimed);
      const live = ids.filter((_, index) => index % 997 === 5);
      await unlinkDocuments(
        namespace,
        ids.filter((id) => !live.includes(id)),
      );
      calls.length = 0;
      const result = await query();
      expect(Math.max(...calls.map((call) => call.dropped))).toBeLessThanOrEqual(LIST_SCRIPT_BUDGET);
      expect(calls.length).toBeGreaterThan(1);
      return { live, result };
    };

    const byStatus = await check('S', 3_000, () => allPages(store, { limit: 2, status: ['open', 'needs_human'] }));
    expect(byStatus.result).toEqual(inPages(byStatus.live, 2));
    const byClaim = await check('C', 3_000, () => allPages(store, { limit: 2, claimExpiredBefore: FUTURE }));
    expect(byClaim.result).toEqual(inPages([...byClaim.live, ...byStatus.live], 2));
    const purged = await check('P', 2_500, () => store.purge({ before: FUTURE }));
    expect(purged.result).toBe(byStatus.live.length + byClaim.live.length + purged.live.length);
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
