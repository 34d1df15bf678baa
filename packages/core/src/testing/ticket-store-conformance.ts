import { afterAll, describe, expect, it } from 'vitest';
import type { TicketDoc } from '../model/ticket.js';
import { StoreError } from '../store/store-error.js';
import type { TicketEvent } from '../store/ticket-event.js';
import type { TicketStore } from '../store/ticket-store.js';

/** What a store adapter can do beyond the contract; the suite skips by capability only. */
export interface TicketStoreCapabilities {
  /** Data outlives the store instance (a new instance on the same backend sees it). */
  persistent?: boolean;
  /**
   * The store supports a retention setting. The function creates a store whose tickets
   * expire `ttlMs` after their last commit.
   */
  ttl?: (context: { namespace: string; ttlMs: number }) => TicketStore | Promise<TicketStore>;
}

/** Options of {@link runTicketStoreConformance}. */
export interface TicketStoreConformanceOptions {
  /** Shown in the test names, e.g. `postgres`. */
  name: string;
  /** Creates a store on the given namespace. Called several times, also with the same namespace. */
  create: (context: { namespace: string }) => TicketStore | Promise<TicketStore>;
  /** Releases a store created by `create`; default `store.close()`. */
  destroy?: (store: TicketStore) => Promise<void>;
  capabilities?: TicketStoreCapabilities;
  /** Per-test timeout in ms (default 30 000). */
  timeoutMs?: number;
}

/** Ticket ids chosen to break naive key building, SQL and glob patterns. */
export const HOSTILE_TICKET_IDS: readonly string[] = [
  "'; DROP TABLE tickets; --",
  '*',
  '?',
  '[a-z]',
  '{}',
  '{tag}',
  '%',
  '_',
  '\\',
  '..',
  '../../etc/passwd',
  ':',
  'a:b:c',
  'emoji-🎫-🔥',
  'zero\u200bwidth',
  'Ünïcödé — 日本語',
  ' leading and trailing ',
  'x'.repeat(5_000),
];

/**
 * The conformance suite every {@link TicketStore} passes (DESIGN §5). Call it inside a
 * vitest test file; it registers its own `describe` block.
 *
 * @example
 * ```ts
 * import { runTicketStoreConformance } from '@ticketflow/core/testing';
 * runTicketStoreConformance({
 *   name: 'sqlite',
 *   create: ({ namespace }) => new SqliteTicketStore({ filename: file, namespace }),
 *   capabilities: { persistent: true },
 * });
 * ```
 */
export function runTicketStoreConformance(options: TicketStoreConformanceOptions): void {
  const capabilities = options.capabilities ?? {};
  const timeout = options.timeoutMs ?? 30_000;
  const runId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const opened: TicketStore[] = [];
  let namespaceCounter = 0;

  const newNamespace = () => `tfconf_${runId}_${(namespaceCounter += 1)}`;
  async function open(namespace = newNamespace()): Promise<TicketStore> {
    const store = await options.create({ namespace });
    opened.push(store);
    return store;
  }
  async function release(store: TicketStore): Promise<void> {
    const index = opened.indexOf(store);
    if (index >= 0) opened.splice(index, 1);
    await (options.destroy ? options.destroy(store) : store.close());
  }

  describe(`TicketStore conformance: ${options.name}`, () => {
    afterAll(async () => {
      for (const store of [...opened]) await release(store);
    });

    it('loads null and no events for an unknown ticket', { timeout }, async () => {
      const store = await open();
      expect(await store.load('never-created')).toBeNull();
      expect(await store.events('never-created')).toEqual([]);
    });

    it('T3 creates with version 1 and loads a deep-equal document', { timeout }, async () => {
      const store = await open();
      const ticket = sampleTicket('T-create', { nested: { list: [1, 'two', { three: 3 }], flag: true, nothing: null } });
      const result = await store.commit({ ticketId: 'T-create', expectedVersion: null, ticket, events: [event('ticket.created')] });
      expect(result).toEqual({ ok: true, version: 1 });
      const loaded = await store.load('T-create');
      expect(loaded?.version).toBe(1);
      expect(loaded?.ticket).toEqual(ticket);
    });

    it('round-trips unicode in documents and events', { timeout }, async () => {
      const store = await open();
      const text = 'Grüße 🎫 — 日本語 — עברית — \u2028\u2029 — tab\tnew\nline — "quotes" \\ backslash';
      const ticket = sampleTicket('T-unicode', { text, [text]: text });
      await commitOk(store, 'T-unicode', null, ticket, [event('message.received', { text })]);
      expect((await store.load('T-unicode'))?.ticket).toEqual(ticket);
      const [stored] = await store.events('T-unicode');
      expect(stored?.data).toEqual({ text });
    });

    it('round-trips a 1 MB document', { timeout }, async () => {
      const store = await open();
      const ticket = sampleTicket('T-big', { blob: 'é'.repeat(512 * 1024), items: Array.from({ length: 2_000 }, (_, index) => ({ index })) });
      expect(JSON.stringify(ticket).length).toBeGreaterThan(500_000);
      await commitOk(store, 'T-big', null, ticket, []);
      expect((await store.load('T-big'))?.ticket).toEqual(ticket);
    });

    it('T3 increments the version by one per commit and appends events with gap-free seq', { timeout }, async () => {
      const store = await open();
      let version = await commitOk(store, 'T-seq', null, sampleTicket('T-seq', { step: 0 }), [event('a'), event('b')]);
      for (let step = 1; step <= 4; step += 1) {
        const next = await commitOk(store, 'T-seq', version, sampleTicket('T-seq', { step }), [event(`step.${step}`)]);
        expect(next).toBe(version + 1);
        version = next;
      }
      const events = await store.events('T-seq');
      expect(events.map((stored) => stored.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(events.map((stored) => stored.type)).toEqual(['a', 'b', 'step.1', 'step.2', 'step.3', 'step.4']);
      for (const stored of events) {
        expect(Number.isSafeInteger(stored.seq)).toBe(true);
        expect(typeof stored.at).toBe('string');
      }
      expect((await store.load('T-seq'))?.ticket).toEqual(sampleTicket('T-seq', { step: 4 }));
    });

    it('T3 a stale version is a returned conflict that writes neither document nor events', { timeout }, async () => {
      const store = await open();
      const v1 = await commitOk(store, 'T-stale', null, sampleTicket('T-stale', { n: 1 }), [event('one')]);
      await commitOk(store, 'T-stale', v1, sampleTicket('T-stale', { n: 2 }), [event('two')]);
      const stale = await store.commit({ ticketId: 'T-stale', expectedVersion: v1, ticket: sampleTicket('T-stale', { n: 99 }), events: [event('lost')] });
      expect(stale).toEqual({ ok: false, reason: 'conflict', version: 2 });
      expect((await store.load('T-stale'))?.ticket).toEqual(sampleTicket('T-stale', { n: 2 }));
      expect((await store.events('T-stale')).map((stored) => stored.type)).toEqual(['one', 'two']);
    });

    it('creating a ticket that exists is a conflict with its current version', { timeout }, async () => {
      const store = await open();
      await commitOk(store, 'T-dup', null, sampleTicket('T-dup', { n: 1 }), [event('one')]);
      const again = await store.commit({ ticketId: 'T-dup', expectedVersion: null, ticket: sampleTicket('T-dup', { n: 2 }), events: [event('again')] });
      expect(again).toEqual({ ok: false, reason: 'conflict', version: 1 });
      expect((await store.events('T-dup')).length).toBe(1);
    });

    it('an expected version for a ticket that does not exist is a conflict, never an upsert', { timeout }, async () => {
      const store = await open();
      const result = await store.commit({ ticketId: 'T-ghost', expectedVersion: 3, ticket: sampleTicket('T-ghost', {}), events: [event('x')] });
      expect(result).toEqual({ ok: false, reason: 'conflict', version: null });
      expect(await store.load('T-ghost')).toBeNull();
      expect(await store.events('T-ghost')).toEqual([]);
    });

    it('T6 50 racing commits on one version have exactly one winner', { timeout }, async () => {
      const store = await open();
      const version = await commitOk(store, 'T-race', null, sampleTicket('T-race', { winner: null }), [event('created')]);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          store.commit({ ticketId: 'T-race', expectedVersion: version, ticket: sampleTicket('T-race', { winner: index }), events: [event('raced', { index })] }),
        ),
      );
      const winners = results.flatMap((result, index) => (result.ok ? [index] : []));
      expect(winners).toHaveLength(1);
      for (const result of results) {
        if (!result.ok) expect(result).toEqual({ ok: false, reason: 'conflict', version: 2 });
      }
      const loaded = await store.load('T-race');
      expect(loaded?.version).toBe(2);
      expect(loaded?.ticket).toEqual(sampleTicket('T-race', { winner: winners[0] }));
      const events = await store.events('T-race');
      expect(events.map((stored) => stored.type)).toEqual(['created', 'raced']);
      expect(events[1]?.data).toEqual({ index: winners[0] });
    });

    it('pages through events with after and limit, in seq order', { timeout }, async () => {
      const store = await open();
      let version: number | null = null;
      for (let batch = 0; batch < 5; batch += 1) {
        version = await commitOk(store, 'T-page', version, sampleTicket('T-page', { batch }), [event(`e${batch * 2 + 1}`), event(`e${batch * 2 + 2}`)]);
      }
      const all = await store.events('T-page');
      expect(all.map((stored) => stored.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect((await store.events('T-page', { limit: 3 })).map((stored) => stored.seq)).toEqual([1, 2, 3]);
      expect((await store.events('T-page', { after: 3, limit: 4 })).map((stored) => stored.seq)).toEqual([4, 5, 6, 7]);
      expect((await store.events('T-page', { after: 8 })).map((stored) => stored.type)).toEqual(['e9', 'e10']);
      expect(await store.events('T-page', { after: 10 })).toEqual([]);
      expect(await store.events('T-page', { after: 0, limit: 100 })).toEqual(all);
    });

    it('rejects invalid event queries with a StoreError of kind invalid', { timeout }, async () => {
      const store = await open();
      for (const query of [{ limit: 0 }, { limit: -1 }, { limit: 1.5 }, { after: -1 }, { after: Number.NaN }]) {
        const failure = await store.events('T-x', query).then(() => null, (error: unknown) => error);
        expect(StoreError.isInstance(failure), JSON.stringify(query)).toBe(true);
        expect((failure as StoreError).kind).toBe('invalid');
      }
    });

    it('isolates namespaces: documents, events and deletes', { timeout }, async () => {
      const first = await open();
      const second = await open();
      await commitOk(first, 'T-shared', null, sampleTicket('T-shared', { owner: 'first' }), [event('first')]);
      expect(await second.load('T-shared')).toBeNull();
      expect(await second.events('T-shared')).toEqual([]);
      await commitOk(second, 'T-shared', null, sampleTicket('T-shared', { owner: 'second' }), [event('second.a'), event('second.b')]);
      expect((await first.load('T-shared'))?.ticket).toEqual(sampleTicket('T-shared', { owner: 'first' }));
      expect((await first.events('T-shared')).map((stored) => stored.type)).toEqual(['first']);
      await second.delete('T-shared');
      expect(await second.load('T-shared')).toBeNull();
      expect((await first.load('T-shared'))?.version).toBe(1);
      expect((await first.events('T-shared')).length).toBe(1);
    });

    it('keeps hostile ticket ids apart and intact', { timeout }, async () => {
      const store = await open();
      for (const [index, ticketId] of HOSTILE_TICKET_IDS.entries()) {
        await commitOk(store, ticketId, null, sampleTicket(ticketId, { index }), [event('created', { index })]);
      }
      for (const [index, ticketId] of HOSTILE_TICKET_IDS.entries()) {
        const loaded = await store.load(ticketId);
        expect(loaded?.ticket, ticketId.slice(0, 40)).toEqual(sampleTicket(ticketId, { index }));
        expect((await store.events(ticketId)).map((stored) => stored.data)).toEqual([{ index }]);
      }
      // Deleting the glob-like ids must not touch any other ticket.
      await store.delete('*');
      await store.delete('?');
      await store.delete('%');
      for (const [index, ticketId] of HOSTILE_TICKET_IDS.entries()) {
        const gone = ticketId === '*' || ticketId === '?' || ticketId === '%';
        const loaded = await store.load(ticketId);
        if (gone) expect(loaded).toBeNull();
        else expect(loaded?.ticket, ticketId.slice(0, 40)).toEqual(sampleTicket(ticketId, { index }));
      }
      // Prefixes of an id are different ids.
      expect(await store.load("'")).toBeNull();
      expect(await store.load('x'.repeat(4_999))).toBeNull();
    });

    it('delete erases the ticket and its events, and a stale commit cannot bring it back', { timeout }, async () => {
      const store = await open();
      const version = await commitOk(store, 'T-erase', null, sampleTicket('T-erase', { pii: 'secret address' }), [event('one'), event('two')]);
      await store.delete('T-erase');
      expect(await store.load('T-erase')).toBeNull();
      expect(await store.events('T-erase')).toEqual([]);
      const stale = await store.commit({ ticketId: 'T-erase', expectedVersion: version, ticket: sampleTicket('T-erase', {}), events: [event('zombie')] });
      expect(stale).toEqual({ ok: false, reason: 'conflict', version: null });
      expect(await store.load('T-erase')).toBeNull();
      await store.delete('T-erase');
      await store.delete('T-never-existed');
      const recreated = await commitOk(store, 'T-erase', null, sampleTicket('T-erase', { fresh: true }), [event('fresh')]);
      expect(recreated).toBe(1);
      expect((await store.events('T-erase')).map((stored) => [stored.seq, stored.type])).toEqual([[1, 'fresh']]);
    });

    it.skipIf(!capabilities.persistent)('T2 data survives a new store instance', { timeout }, async () => {
      const namespace = newNamespace();
      const first = await open(namespace);
      await commitOk(first, 'T-durable', null, sampleTicket('T-durable', { kept: true }), [event('kept')]);
      await release(first);
      const second = await open(namespace);
      const loaded = await second.load('T-durable');
      expect(loaded).toEqual({ ticket: sampleTicket('T-durable', { kept: true }), version: 1 });
      expect((await second.events('T-durable')).map((stored) => stored.type)).toEqual(['kept']);
    });

    it.skipIf(!capabilities.ttl)('expires tickets after the retention time', { timeout }, async () => {
      const namespace = newNamespace();
      const store = await capabilities.ttl!({ namespace, ttlMs: 1_000 });
      opened.push(store);
      await commitOk(store, 'T-ttl', null, sampleTicket('T-ttl', {}), [event('one')]);
      expect(await store.load('T-ttl')).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 2_200));
      expect(await store.load('T-ttl')).toBeNull();
      expect(await store.events('T-ttl')).toEqual([]);
    });

    it('rejects ticket ids no backend can store faithfully (NUL, lone surrogates) as invalid', { timeout }, async () => {
      const store = await open();
      for (const ticketId of ['nul\u0000inside', 'lone\uD800', '\uDC00tail']) {
        for (const call of [() => store.load(ticketId), () => store.events(ticketId), () => store.delete(ticketId), () => store.commit({ ticketId, expectedVersion: null, ticket: sampleTicket('x', {}), events: [] })]) {
          const failure = await call().then(() => null, (error: unknown) => error);
          expect(StoreError.isInstance(failure) && failure.kind, JSON.stringify(ticketId)).toBe('invalid');
        }
      }
    });

    it('close() resolves, can be called twice, and a closed store fails as unavailable', { timeout }, async () => {
      const store = await open();
      await commitOk(store, 'T-close', null, sampleTicket('T-close', {}), []);
      await expect(store.close()).resolves.toBeUndefined();
      await expect(store.close()).resolves.toBeUndefined();
      const failure = await store.load('T-close').then(() => null, (error: unknown) => error);
      expect(StoreError.isInstance(failure) && failure.kind).toBe('unavailable');
      await release(store);
    });
  });
}

async function commitOk(store: TicketStore, ticketId: string, expectedVersion: number | null, ticket: TicketDoc, events: TicketEvent[]): Promise<number> {
  const result = await store.commit({ ticketId, expectedVersion, ticket, events });
  if (!result.ok) throw new Error(`expected commit of ${ticketId.slice(0, 40)} at ${String(expectedVersion)} to succeed, got conflict at ${String(result.version)}`);
  return result.version;
}

function event(type: string, data?: Record<string, unknown>): TicketEvent {
  return data === undefined ? { type, at: '2026-01-02T03:04:05.678Z' } : { type, at: '2026-01-02T03:04:05.678Z', data };
}

/** A document with the shape of a real ticket plus arbitrary extra JSON. */
function sampleTicket(id: string, extra: Record<string, unknown>): TicketDoc {
  return {
    schemaVersion: 1,
    id,
    createdAt: '2026-01-02T03:04:05.678Z',
    updatedAt: '2026-01-02T03:04:05.678Z',
    turn: 0,
    status: 'open',
    intent: null,
    workflow: null,
    slots: {},
    deferred: [],
    pending: null,
    confirmation: null,
    outcomes: {},
    transcript: [],
    processed: [],
    execution: null,
    usage: { llmCalls: 0, inputTokens: 0, outputTokens: 0, estimatedCost: 0 },
    extra,
  } as unknown as TicketDoc;
}
