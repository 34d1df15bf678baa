import { describe, expect, it } from 'vitest';
import type { TicketEvent } from '../../store/ticket-event.js';
import type { TicketStore } from '../../store/ticket-store.js';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, expectStoreError, sampleTicket } from './conformance-helpers.js';

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

/** Values no store may hold, each with the JSON path the refusal must name. */
function unstorableValues(): { label: string; extra: Record<string, unknown>; path: string }[] {
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  return [
    { label: 'a NUL character in a value', extra: { note: 'ref\u0000123' }, path: '$.extra.note' },
    { label: 'a NUL character in a key', extra: { ['key\u0000']: 1 }, path: '$.extra' },
    { label: 'a lone high surrogate', extra: { list: ['ok', 'x\uD800y'] }, path: '$.extra.list[1]' },
    { label: 'a lone low surrogate in a key', extra: { ['\uDC00']: 'v' }, path: '$.extra' },
    { label: 'a BigInt', extra: { amount: 10n }, path: '$.extra.amount' },
    { label: 'a cycle', extra: { cycle }, path: '$.extra.cycle.self' },
    { label: 'NaN', extra: { ratio: Number.NaN }, path: '$.extra.ratio' },
    { label: 'Infinity', extra: { ratio: Number.POSITIVE_INFINITY }, path: '$.extra.ratio' },
    { label: 'a Map', extra: { lookup: new Map([['a', 1]]) }, path: '$.extra.lookup' },
    { label: 'a function', extra: { callback: () => 1 }, path: '$.extra.callback' },
    { label: 'undefined in an array', extra: { holes: [1, undefined, 3] }, path: '$.extra.holes[1]' },
  ];
}

async function expectUntouched(store: TicketStore, ticketId: string, requirement: string): Promise<void> {
  expectContract((await store.load(ticketId))?.version, 1, `${requirement}: the refused commit must not change the stored ticket`);
  expectContract(
    (await store.events(ticketId)).map((stored) => stored.type),
    ['created'],
    `${requirement}: the refused commit must not append events`,
  );
}

/** DESIGN §5: one storage rule for hostile ids and values, the same on every store. */
export function describeHostileValues(context: ConformanceContext): void {
  describe('hostile ids and values', () => {
    registerHostileIdsAndDocuments(context);
    registerHostileEventsAndJson(context);
  });
}

function registerHostileIdsAndDocuments(context: ConformanceContext): void {
  const { test } = context;
  it('T1 keeps hostile ticket ids apart and intact', test, async () => {
    const store = await context.open();
    for (const [index, ticketId] of HOSTILE_TICKET_IDS.entries()) {
      await commitOk(store, ticketId, null, sampleTicket(ticketId, { index }), [event('created', { index })]);
    }
    for (const [index, ticketId] of HOSTILE_TICKET_IDS.entries()) {
      expectContract(
        (await store.load(ticketId))?.ticket,
        sampleTicket(ticketId, { index }),
        `DESIGN §5: the ticket with the hostile id ${JSON.stringify(ticketId.slice(0, 40))} must load its own document`,
      );
      expectContract(
        (await store.events(ticketId)).map((stored) => stored.data),
        [{ index }],
        `DESIGN §5: the hostile id ${JSON.stringify(ticketId.slice(0, 40))} must have only its own events`,
      );
    }
    for (const glob of ['*', '?', '%']) await store.delete(glob);
    for (const [index, ticketId] of HOSTILE_TICKET_IDS.entries()) {
      const gone = ticketId === '*' || ticketId === '?' || ticketId === '%';
      const loaded = await store.load(ticketId);
      expectContract(
        gone ? loaded : loaded?.ticket,
        gone ? null : sampleTicket(ticketId, { index }),
        `DESIGN §5: deleting the glob-like ids "*", "?" and "%" must delete exactly those tickets (checking ${JSON.stringify(ticketId.slice(0, 40))})`,
      );
    }
    expectContract(await store.load("'"), null, 'DESIGN §5: a prefix of an id is another id');
    expectContract(await store.load('x'.repeat(4_999)), null, 'DESIGN §5: a prefix of a long id is another id');
    expectContract(
      (await store.list({ limit: 1_000 })).tickets.length,
      HOSTILE_TICKET_IDS.length - 3,
      'DESIGN §5: list shows every hostile id once, and none of the deleted ones',
    );
  });

  it('T1 rejects ticket ids no backend can store faithfully (NUL, lone surrogates) as invalid', test, async () => {
    const store = await context.open();
    for (const ticketId of ['nul\u0000inside', 'lone\uD800', '\uDC00tail', '']) {
      const calls = {
        load: () => store.load(ticketId),
        events: () => store.events(ticketId),
        delete: () => store.delete(ticketId),
        commit: () => store.commit({ ticketId, expectedVersion: null, ticket: sampleTicket('x', {}), events: [] }),
      };
      for (const [name, call] of Object.entries(calls)) {
        await expectStoreError(
          call,
          'invalid',
          `DESIGN §5: ${name}(${JSON.stringify(ticketId)}) uses a ticket id that is empty or not well-formed Unicode without NUL`,
        );
      }
    }
  });

  it('T4 refuses unstorable values in the document as invalid, naming the JSON path, and changes nothing', test, async () => {
    const store = await context.open();
    await commitOk(store, 'T-doc', null, sampleTicket('T-doc', {}), [event('created')]);
    for (const { label, extra, path } of unstorableValues()) {
      const requirement = `DESIGN §5: a document holding ${label} must be refused by every store, before the backend is touched`;
      const error = await expectStoreError(
        () => store.commit({ ticketId: 'T-doc', expectedVersion: 1, ticket: sampleTicket('T-doc', extra), events: [event('never')] }),
        'invalid',
        requirement,
      );
      expect(error.message, `${requirement}: the message must name the JSON path ${path} — it says ${JSON.stringify(error.message)}`).toContain(path);
      await expectUntouched(store, 'T-doc', requirement);
    }
    await expectStoreError(
      () => store.commit({ ticketId: 'T-new', expectedVersion: null, ticket: sampleTicket('T-new', { note: 'a\u0000b' }), events: [] }),
      'invalid',
      'DESIGN §5: a new ticket holding a NUL must be refused',
    );
    expectContract(await store.load('T-new'), null, 'DESIGN §5: a refused creation must not create the ticket');
  });
}

function registerHostileEventsAndJson(context: ConformanceContext): void {
  const { test } = context;
  it('T4 refuses unstorable values in events as invalid, naming the JSON path, and changes nothing', test, async () => {
    const store = await context.open();
    await commitOk(store, 'T-event', null, sampleTicket('T-event', {}), [event('created')]);
    for (const { label, extra, path } of unstorableValues()) {
      const requirement = `DESIGN §5: an event holding ${label} must be refused by every store, with the document, before the backend is touched`;
      const events: TicketEvent[] = [event('fine'), event('tool.completed', { extra })];
      const error = await expectStoreError(
        () => store.commit({ ticketId: 'T-event', expectedVersion: 1, ticket: sampleTicket('T-event', { n: 2 }), events }),
        'invalid',
        requirement,
      );
      expect(error.message, `${requirement}: the message must name event 1 and the JSON path — it says ${JSON.stringify(error.message)}`).toContain(
        path.replace('$.extra', '$.data.extra'),
      );
      await expectUntouched(store, 'T-event', requirement);
    }
  });

  it('T4 leaves out undefined object properties and stores what toJSON returns (a Date as its ISO string)', test, async () => {
    const store = await context.open();
    const ticket = sampleTicket('T-json', { absent: undefined, when: new Date('2026-05-06T07:08:09.010Z') });
    await commitOk(store, 'T-json', null, ticket, [event('dated', { when: new Date('2026-05-06T07:08:09.010Z'), absent: undefined })]);
    expectContract(
      (await store.load('T-json'))?.ticket,
      JSON.parse(JSON.stringify(ticket)),
      'DESIGN §5: documents are stored as JSON: an undefined property is absent and a Date comes back as its ISO string',
    );
    expectContract((await store.events('T-json'))[0]?.data, { when: '2026-05-06T07:08:09.010Z' }, 'DESIGN §5: event data is stored as JSON too');
  });

  it(
    'T4 refuses a document or event whose own toJSON would store something else than it (a string, a number, an object without type), and changes nothing',
    test,
    async () => {
      const store = await context.open();
      await commitOk(store, 'T-whole', null, sampleTicket('T-whole', {}), [event('created')]);
      const documents: { label: string; ticket: unknown }[] = [
        { label: 'a toJSON returning a string', ticket: { ...sampleTicket('T-whole', {}), toJSON: () => 'T-whole' } },
        { label: 'a Date', ticket: new Date('2026-05-06T07:08:09.010Z') },
      ];
      for (const { label, ticket } of documents) {
        const requirement = `DESIGN §5: a ticket document with ${label} must be refused (it would be stored as something that is not the document)`;
        await expectStoreError(
          () => store.commit({ ticketId: 'T-whole', expectedVersion: 1, ticket: ticket as never, events: [event('never')] }),
          'invalid',
          requirement,
        );
        await expectUntouched(store, 'T-whole', requirement);
      }
      for (const replaced of [42, { note: 'no type or time' }]) {
        const requirement = `DESIGN §5: an event whose toJSON returns ${JSON.stringify(replaced)} must be refused (it would be stored without its type and time)`;
        const events = [{ ...event('fine'), toJSON: () => replaced }] as unknown as TicketEvent[];
        await expectStoreError(
          () => store.commit({ ticketId: 'T-whole', expectedVersion: 1, ticket: sampleTicket('T-whole', { n: 2 }), events }),
          'invalid',
          requirement,
        );
        await expectUntouched(store, 'T-whole', requirement);
      }
      await expectStoreError(
        () => store.commit({ ticketId: 'T-whole-new', expectedVersion: null, ticket: new Date() as never, events: [] }),
        'invalid',
        'DESIGN §5: a Date is not a ticket document',
      );
      expectContract(await store.load('T-whole-new'), null, 'DESIGN §5: a refused creation must not create the ticket');
      class Typed {
        at = '2026-01-01T00:00:00.000Z';
        get type(): string {
          return 'customer_message';
        }
      }
      const requirement = 'DESIGN §5: an event whose type is not its own (a class getter) would be stored without it and must be refused';
      const events = [new Typed() as unknown as TicketEvent];
      await expectStoreError(
        () => store.commit({ ticketId: 'T-whole', expectedVersion: 1, ticket: sampleTicket('T-whole', { n: 3 }), events }),
        'invalid',
        requirement,
      );
      await expectUntouched(store, 'T-whole', requirement);
    },
  );

  it('T4 indexes what it stores: a Date as updatedAt lists and purges by its ISO time; a status no index can hold is refused everywhere', test, async () => {
    const store = await context.open();
    const updated = '2026-05-06T07:08:09.010Z';
    await commitOk(store, 'T-dated', null, { ...sampleTicket('T-dated', {}), updatedAt: new Date(updated) as unknown as string }, [event('created')]);
    const listed = (await store.list()).tickets.find((ticket) => ticket.ticketId === 'T-dated');
    expectContract(listed?.updatedAt, updated, 'DESIGN §5: list reports the updatedAt the document holds (a Date is stored as its ISO string)');
    expectContract(await store.purge({ before: '2000-01-01T00:00:00.000Z' }), 0, 'DESIGN §5: purge must not take a ticket updated after the cutoff');
    await commitOk(store, 'T-status', null, sampleTicket('T-status', {}, { status: 's'.repeat(256) }), [event('created')]);
    const long = sampleTicket('T-status-long', {}, { status: 's'.repeat(257) });
    await expectStoreError(
      () => store.commit({ ticketId: 'T-status-long', expectedVersion: null, ticket: long, events: [] }),
      'invalid',
      'DESIGN §5: a status over 256 characters must be refused by every store (an index entry cannot hold it everywhere)',
    );
    expectContract(await store.load('T-status-long'), null, 'DESIGN §5: a refused creation must not create the ticket');
  });
}
