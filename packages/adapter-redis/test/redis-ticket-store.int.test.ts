import { StoreError, type TicketDoc, type TicketEventRecord as TicketEvent } from '@ticketflow/core';
import { HOSTILE_TICKET_IDS } from '@ticketflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTicketStore, type RedisClientLike } from '../src/index.js';
import { namespaceKeys, ticketKeys } from '../src/ticket-keys.js';
import { clusterKeySlot, hashedPart } from './cluster-key-slot.js';
import { connectTestClient, dropNamespaces, keysOf, randomNamespace, TEST_REDIS_URL, testRedisAvailable, type TestClient } from './redis-test-server.js';

const available = await testRedisAvailable('RedisTicketStore on Redis');
const namespaces = new Set<string>();
const stores: RedisTicketStore[] = [];
let redis: TestClient;

const at = '2026-01-02T03:04:05.678Z';
const doc = (extra: Record<string, unknown> = {}) => ({ schemaVersion: 1, ...extra }) as unknown as TicketDoc;
const event = (type: string, data?: Record<string, unknown>): TicketEvent => (data ? { type, at, data } : { type, at });

function open(options: { namespace?: string; ttlMs?: number; client?: RedisClientLike } = {}): { store: RedisTicketStore; namespace: string } {
  const namespace = options.namespace ?? randomNamespace('store');
  namespaces.add(namespace);
  const store = options.client
    ? new RedisTicketStore({ client: options.client, namespace, ttlMs: options.ttlMs })
    : new RedisTicketStore({ url: TEST_REDIS_URL, namespace, ttlMs: options.ttlMs });
  stores.push(store);
  return { store, namespace };
}

async function failure(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(StoreError.isInstance(error), String(error)).toBe(true);
  return error as StoreError;
}

describe.runIf(available)('RedisTicketStore on Redis', () => {
  beforeAll(async () => {
    redis = await connectTestClient();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropNamespaces(namespaces);
    redis?.destroy();
  });

  it("§5 keeps a ticket in a hash and a list, and its index entries, all under the namespace's hash tag", async () => {
    const { store, namespace } = open();
    const ticket = doc({ n: 1, status: 'needs_human', updatedAt: at, incarnation: 'inc-1' });
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket, events: [event('a'), event('b')] });
    const keys = ticketKeys(namespace, 'T-1');
    const index = namespaceKeys(namespace);
    expect(keys).toEqual({ document: `tf:{${namespace}}:t:T-1`, events: `tf:{${namespace}}:e:T-1` });
    expect(await keysOf(redis, namespace)).toEqual([keys.document, keys.events, index.meta, index.status, index.summaries, index.updated].sort());
    expect(await redis.hGetAll(keys.document)).toEqual({ version: '1', seq: '2', document: JSON.stringify(ticket), inc: 'inc-1' });
    expect(await redis.lRange(keys.events, 0, -1)).toEqual([`{"seq":1,"type":"a","at":"${at}"}`, `{"seq":2,"type":"b","at":"${at}"}`]);
    expect(await redis.zRange(index.updated, 0, -1)).toEqual([`${at} T-1`]);
    expect(await redis.zRange(index.status, 0, -1)).toEqual([`needs_human ${at} T-1`]);
    expect(JSON.parse((await redis.hGet(index.summaries, 'T-1'))!)).toEqual(['1', 'needs_human', 'needs_human', at, '', String(Date.parse(at))]);
    expect(await redis.hGet(index.meta, 'schema')).toBe('2');
    for (const id of [...HOSTILE_TICKET_IDS, '}{', '{T-1}']) {
      const ticketKeysOfId = ticketKeys(namespace, id);
      for (const key of [ticketKeysOfId.document, ticketKeysOfId.events, ...Object.values(index)]) {
        expect(hashedPart(key)).toBe(namespace);
        expect(clusterKeySlot(key)).toBe(clusterKeySlot(index.updated));
      }
    }
  });

  it("P3 delete removes the ticket's keys and every index entry; hostile ids, even ones spelling another key, touch nothing else", async () => {
    const { store, namespace } = open();
    await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: doc({ owner: 'T-1' }), events: [event('kept')] });
    const victim = ticketKeys(namespace, 'T-1');
    const index = namespaceKeys(namespace);
    const hostile = [
      victim.document,
      victim.events,
      index.updated,
      index.summaries,
      `{T-1}`,
      'T-1}:doc',
      '}{',
      'T-1}{x',
      `tf:{${namespace}}:*`,
      '*',
      'T-?',
      '\uFFFD',
      'T-1%7D',
      '0000 T-1',
    ];
    for (const id of hostile) {
      await store.commit({
        ticketId: id,
        expectedVersion: null,
        ticket: doc({ owner: id, status: 'executing', execution: { leaseExpiresAt: 1_767_225_600_000 } }),
        events: [event('hostile')],
      });
    }
    const namespaceKeyCount = 5; // meta and the updated, status, claims and summary indexes
    expect((await keysOf(redis, namespace)).length).toBe(2 * (hostile.length + 1) + namespaceKeyCount);
    for (const id of hostile)
      expect((await store.load(id))?.ticket).toEqual(doc({ owner: id, status: 'executing', execution: { leaseExpiresAt: 1_767_225_600_000 } }));
    expect((await store.list({ limit: 1_000 })).tickets.map((ticket) => ticket.ticketId).sort()).toEqual([...hostile, 'T-1'].sort());
    for (const id of hostile) await store.delete(id);
    expect(await keysOf(redis, namespace)).toEqual([victim.document, victim.events, index.meta, index.status, index.summaries, index.updated].sort());
    expect(await redis.zRange(index.updated, 0, -1)).toEqual(['1970-01-01T00:00:00.000Z T-1']);
    expect(await redis.zRange(index.status, 0, -1)).toEqual(['open 1970-01-01T00:00:00.000Z T-1']);
    expect(Object.keys(await redis.hGetAll(index.summaries))).toEqual(['T-1']);
    expect(await store.load('T-1')).toEqual({ ticket: doc({ owner: 'T-1' }), version: 1 });
    expect((await store.events('T-1')).map((stored) => stored.type)).toEqual(['kept']);
    await store.delete('T-1');
    expect(await keysOf(redis, namespace)).toEqual([index.meta]);
  });

  it('leaves a client passed in open after close(), and works through it', async () => {
    const client = await connectTestClient();
    try {
      const { store } = open({ client });
      expect(await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: doc(), events: [] })).toEqual({ ok: true, version: 1 });
      await store.close();
      await store.close();
      expect(client.isOpen).toBe(true);
      expect(await client.ping()).toBe('PONG');
      expect((await failure(store.load('T-1'))).kind).toBe('unavailable');
    } finally {
      client.destroy();
    }
  });

  it('reports stored values that do not parse as corrupt, and writes nothing over them', async () => {
    const { store, namespace } = open();
    const keyOf = (id: string) => ticketKeys(namespace, id);
    await redis.hSet(keyOf('bad-json').document, { version: '1', seq: '0', document: '{not json' });
    await redis.hSet(keyOf('bad-version').document, { version: 'abc', seq: '0', document: '{}' });
    await redis.hSet(keyOf('bad-seq').document, { version: '2', seq: 'x', document: '{}' });
    await redis.hSet(keyOf('array').document, { version: '1', document: '[1,2]' });
    await redis.hSet(keyOf('no-document').document, { version: '1' });
    await redis.set(keyOf('wrong-type').document, 'a string');
    await redis.rPush(keyOf('bad-event').events, ['{"seq":1,"type":"ok","at":"x"}', 'garbage']);
    for (const id of ['bad-json', 'bad-version', 'array', 'no-document', 'wrong-type']) {
      const error = await failure(store.load(id));
      expect(error.kind, id).toBe('corrupt');
      expect(error.message).not.toContain('not json');
    }
    for (const [id, expectedVersion] of [
      ['bad-version', 1],
      ['bad-seq', 2],
      ['wrong-type', 1],
    ] as const) {
      expect((await failure(store.commit({ ticketId: id, expectedVersion, ticket: doc(), events: [event('x')] }))).kind, id).toBe('corrupt');
    }
    expect(await redis.hGetAll(keyOf('bad-version').document)).toEqual({ version: 'abc', seq: '0', document: '{}' });
    expect(await redis.exists(keyOf('bad-version').events)).toBe(0);
    expect((await failure(store.events('bad-event'))).kind).toBe('corrupt');
    await redis.set(keyOf('wrong-type-events').events, 'a string');
    expect((await failure(store.events('wrong-type-events'))).kind).toBe('corrupt');
  });

  it('refuses a document or event that is not JSON with invalid, before touching Redis', async () => {
    const { store } = open();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: cyclic as unknown as TicketDoc, events: [] }))).kind).toBe('invalid');
    expect((await failure(store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: doc(), events: [{ type: 'x', at, data: { big: 1n } }] }))).kind).toBe(
      'invalid',
    );
    expect(await store.load('T-1')).toBeNull();
  });

  it('sets the retention on every key at each commit, and removes it without ttlMs', async () => {
    const { store, namespace } = open({ ttlMs: 60_000 });
    const keys = ticketKeys(namespace, 'T-ttl');
    await store.commit({ ticketId: 'T-ttl', expectedVersion: null, ticket: doc(), events: [event('a')] });
    for (const key of [keys.document, keys.events]) {
      const ttl = await redis.pTTL(key);
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    const { store: keeper } = open({ namespace });
    await keeper.commit({ ticketId: 'T-ttl', expectedVersion: 1, ticket: doc(), events: [event('b')] });
    expect(await redis.pTTL(keys.document)).toBe(-1);
    expect(await redis.pTTL(keys.events)).toBe(-1);
  });

  it('starts a new ticket at seq 1 even when events were left behind without their document', async () => {
    const { store, namespace } = open();
    await redis.rPush(ticketKeys(namespace, 'T-orphan').events, ['{"seq":1,"type":"orphan","at":"x"}']);
    await store.commit({ ticketId: 'T-orphan', expectedVersion: null, ticket: doc(), events: [event('fresh')] });
    expect((await store.events('T-orphan')).map((stored) => [stored.seq, stored.type])).toEqual([[1, 'fresh']]);
  });

  it('appends thousands of events in one commit with gap-free seq, and pages them', async () => {
    const { store } = open();
    const many = Array.from({ length: 2_500 }, (_, index) => event('bulk', { index }));
    await store.commit({ ticketId: 'T-bulk', expectedVersion: null, ticket: doc(), events: many });
    await store.commit({ ticketId: 'T-bulk', expectedVersion: 1, ticket: doc(), events: [event('last')] });
    const all = await store.events('T-bulk');
    expect(all.map((stored) => stored.seq)).toEqual(Array.from({ length: 2_501 }, (_, index) => index + 1));
    expect((await store.events('T-bulk', { after: 2_499, limit: 5 })).map((stored) => stored.type)).toEqual(['bulk', 'last']);
    expect(await store.events('T-bulk', { after: Number.MAX_SAFE_INTEGER - 1, limit: Number.MAX_SAFE_INTEGER })).toEqual([]);
    expect((await store.events('T-bulk', { after: 10, limit: Number.MAX_SAFE_INTEGER })).length).toBe(2_491);
  });

  it('checks the namespace key layout once per store; a failed check is made again by the next operation', async () => {
    const client = await connectTestClient();
    try {
      const metaReads: string[] = [];
      let failNextMetaRead = true;
      const counting: RedisClientLike = {
        evalSha: (sha, options) => client.evalSha(sha, options),
        eval: (script, options) => client.eval(script, options),
        hmGet: (key, fields) => {
          if (fields.includes('schema')) {
            metaReads.push(key);
            if (failNextMetaRead) {
              failNextMetaRead = false;
              return Promise.reject(new Error('connection reset while reading the layout'));
            }
          }
          return client.hmGet(key, fields);
        },
        lRange: (key, start, stop) => client.lRange(key, start, stop),
      };
      const { store } = open({ client: counting });
      const error = await store.load('T-1').then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(StoreError.isInstance(error) && error.kind).toBe('unavailable');
      expect(await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: doc(), events: [event('a')] })).toEqual({ ok: true, version: 1 });
      for (let turn = 1; turn <= 3; turn += 1) {
        const loaded = await store.load('T-1');
        expect(await store.commit({ ticketId: 'T-1', expectedVersion: loaded!.version, ticket: doc(), events: [] })).toMatchObject({ ok: true });
      }
      expect(metaReads.length).toBe(2);
    } finally {
      client.destroy();
    }
  });

  it('falls back to EVAL when the server does not know the script (NOSCRIPT)', async () => {
    const client = await connectTestClient();
    try {
      const calls: string[] = [];
      const forgetful: RedisClientLike = {
        evalSha: (_sha, options) => (calls.push('evalSha'), client.evalSha('0'.repeat(40), options)),
        eval: (script, options) => (calls.push('eval'), client.eval(script, options)),
        hmGet: (key, fields) => client.hmGet(key, fields),
        lRange: (key, start, stop) => client.lRange(key, start, stop),
      };
      const { store } = open({ client: forgetful });
      await store.load('T-warm-up'); // the first call also reads the namespace's key layout
      expect(calls).toEqual([]);
      expect(await store.commit({ ticketId: 'T-1', expectedVersion: null, ticket: doc(), events: [event('a')] })).toEqual({ ok: true, version: 1 });
      expect(calls).toEqual(['evalSha', 'eval']);
      expect((await store.load('T-1'))?.version).toBe(1);
    } finally {
      client.destroy();
    }
  });
});

if (!available) it.skip('RedisTicketStore on Redis (no Redis server, see the banner above)', () => undefined);
