import { describe, it } from 'vitest';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, expectTrue, sampleTicket } from './conformance-helpers.js';

/** DESIGN §5 `load` and `commit`: versions, compare-and-set, deep-equal documents. */
export function describeLoadAndCommit(context: ConformanceContext): void {
  describe('load and commit', () => {
    registerCreateAndRoundTrip(context);
    registerConflicts(context);
  });
}

function registerCreateAndRoundTrip(context: ConformanceContext): void {
  const { test } = context;
  it('T2 an unknown ticket loads as null, with no events', test, async () => {
    const store = await context.open();
    expectContract(await store.load('never-created'), null, 'DESIGN §5: load of a ticket id that was never committed must resolve null');
    expectContract(await store.events('never-created'), [], 'DESIGN §5: an unknown ticket has no events (an empty array)');
  });

  it('T3 creates with version 1 and loads a deep-equal document', test, async () => {
    const store = await context.open();
    const ticket = sampleTicket('T-create', {
      nested: { list: [1, 'two', { three: 3 }], flag: true, nothing: null, float: 0.1, negative: -7, large: 2 ** 53 - 1 },
    });
    const result = await store.commit({ ticketId: 'T-create', expectedVersion: null, ticket, events: [event('ticket.created')] });
    expectContract(result, { ok: true, version: 1 }, 'DESIGN §5: creating a ticket (expectedVersion null) must resolve { ok: true, version: 1 }');
    const loaded = await store.load('T-create');
    expectContract(loaded?.version, 1, 'DESIGN §5: a created ticket must load with version 1');
    expectContract(loaded?.ticket, ticket, 'DESIGN §5: a loaded document must deep-equal the committed one (plain JSON; only key order may change)');
  });

  it('T3 round-trips unicode in documents and events', test, async () => {
    const store = await context.open();
    const text = 'Grüße 🎫 — 日本語 — עברית — \u2028\u2029 — tab\tnew\nline — "quotes" \\ backslash — \\u0000 as text — \uFFFD — \u{10FFFF}';
    const ticket = sampleTicket('T-unicode', { text, [text]: text });
    await commitOk(store, 'T-unicode', null, ticket, [event('message.received', { text })]);
    expectContract(
      (await store.load('T-unicode'))?.ticket,
      ticket,
      'DESIGN §5: well-formed Unicode (astral characters, U+2028, escapes written as text) must round-trip in the document',
    );
    const [stored] = await store.events('T-unicode');
    expectContract(stored?.data, { text }, 'DESIGN §5: well-formed Unicode must round-trip in event data');
  });

  it('T3 round-trips a 1 MB document', test, async () => {
    const store = await context.open();
    const ticket = sampleTicket('T-big', { blob: 'é'.repeat(512 * 1024), items: Array.from({ length: 2_000 }, (_, index) => ({ index })) });
    await commitOk(store, 'T-big', null, ticket, []);
    expectContract((await store.load('T-big'))?.ticket, ticket, 'DESIGN §5: a document of about 1 MB must round-trip deep-equal');
  });

  it('T3 increments the version by one per commit and appends events with gap-free seq', test, async () => {
    const store = await context.open();
    let version = await commitOk(store, 'T-seq', null, sampleTicket('T-seq', { step: 0 }), [event('a'), event('b')]);
    for (let step = 1; step <= 4; step += 1) {
      const next = await commitOk(store, 'T-seq', version, sampleTicket('T-seq', { step }), [event(`step.${step}`)]);
      expectContract(next, version + 1, `DESIGN §5: each commit must return the previous version plus one (commit ${step + 1})`);
      version = next;
    }
    const events = await store.events('T-seq');
    expectContract(
      events.map((stored) => stored.seq),
      [1, 2, 3, 4, 5, 6],
      'DESIGN §5: events get seq 1, 2, 3… per ticket, without gaps, in commit order',
    );
    expectContract(
      events.map((stored) => stored.type),
      ['a', 'b', 'step.1', 'step.2', 'step.3', 'step.4'],
      'DESIGN §5: events come back in the order they were committed',
    );
    expectContract(
      events.map((stored) => stored.at),
      Array.from({ length: 6 }, () => '2026-01-02T03:04:05.678Z'),
      'DESIGN §5: events come back whole (at unchanged)',
    );
    expectContract((await store.load('T-seq'))?.ticket, sampleTicket('T-seq', { step: 4 }), 'DESIGN §5: load returns the document of the last commit');
  });
}

function registerConflicts(context: ConformanceContext): void {
  const { test } = context;
  it('T3 a stale version is a returned conflict that writes neither document nor events', test, async () => {
    const store = await context.open();
    const v1 = await commitOk(store, 'T-stale', null, sampleTicket('T-stale', { n: 1 }), [event('one')]);
    await commitOk(store, 'T-stale', v1, sampleTicket('T-stale', { n: 2 }), [event('two')]);
    const stale = await store.commit({ ticketId: 'T-stale', expectedVersion: v1, ticket: sampleTicket('T-stale', { n: 99 }), events: [event('lost')] });
    expectContract(
      stale,
      { ok: false, reason: 'conflict', version: 2 },
      'DESIGN §5: a stale expectedVersion must be refused with { ok: false, reason: "conflict", version: <current> }',
    );
    expectContract((await store.load('T-stale'))?.ticket, sampleTicket('T-stale', { n: 2 }), 'DESIGN §5: a refused commit must not write its document');
    expectContract(
      (await store.events('T-stale')).map((stored) => stored.type),
      ['one', 'two'],
      'DESIGN §5 / T3: a refused commit must not append its events',
    );
  });

  it('T3 creating a ticket that exists is a conflict with its current version', test, async () => {
    const store = await context.open();
    await commitOk(store, 'T-dup', null, sampleTicket('T-dup', { n: 1 }), [event('one')]);
    const again = await store.commit({ ticketId: 'T-dup', expectedVersion: null, ticket: sampleTicket('T-dup', { n: 2 }), events: [event('again')] });
    expectContract(
      again,
      { ok: false, reason: 'conflict', version: 1 },
      'DESIGN §5: expectedVersion null for an existing ticket must be a conflict with its current version, never an overwrite',
    );
    expectContract(
      (await store.events('T-dup')).map((stored) => stored.type),
      ['one'],
      'DESIGN §5: a refused creation must not append events',
    );
    expectContract((await store.load('T-dup'))?.ticket, sampleTicket('T-dup', { n: 1 }), 'DESIGN §5: a refused creation must not overwrite the document');
  });

  it('T3 an expected version for a ticket that does not exist is a conflict, never an upsert', test, async () => {
    const store = await context.open();
    const result = await store.commit({ ticketId: 'T-ghost', expectedVersion: 3, ticket: sampleTicket('T-ghost', {}), events: [event('x')] });
    expectContract(
      result,
      { ok: false, reason: 'conflict', version: null },
      'DESIGN §5: an expected version for a ticket that does not exist must be { ok: false, reason: "conflict", version: null }',
    );
    expectContract(await store.load('T-ghost'), null, 'DESIGN §5: a refused commit must not create the ticket (no upsert)');
    expectContract(await store.events('T-ghost'), [], 'DESIGN §5: a refused commit must not append events');
  });

  it('T3 a seq given by the caller is ignored: the store numbers the events', test, async () => {
    const store = await context.open();
    const forged = { ...event('forged'), seq: 99 } as ReturnType<typeof event>;
    await commitOk(store, 'T-forged', null, sampleTicket('T-forged', {}), [forged, event('next')]);
    expectContract(
      (await store.events('T-forged')).map((stored) => [stored.seq, stored.type]),
      [
        [1, 'forged'],
        [2, 'next'],
      ],
      'DESIGN §5: the store adds seq (from 1, per ticket); a seq in the committed event must not be kept',
    );
  });

  it('T1 a document without an incarnation (written before incarnations existed) keeps committing', test, async () => {
    const store = await context.open();
    const legacy = (n: number) => sampleTicket('T-legacy', { n }, { incarnation: null });
    let version = await commitOk(store, 'T-legacy', null, legacy(1), [event('one')]);
    version = await commitOk(store, 'T-legacy', version, legacy(2), [event('two')]);
    expectTrue(
      version === 2,
      'DESIGN §5: documents without an incarnation field compare by ticketIndexOf (legacy:<createdAt>) and commit as before',
      `the second commit returned version ${version}`,
    );
  });
}
