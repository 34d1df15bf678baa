import { describe, it } from 'vitest';
import type { ListQuery, TicketPage, TicketStore, TicketSummary } from '../../store/ticket-store.js';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, expectStoreError, expectTrue, sampleTicket, shown } from './conformance-helpers.js';

const at = (hhmm: string) => `2026-03-01T${hhmm}:00.000Z`;

/** Six tickets in five statuses, two of them tied on updatedAt, two holding a claim. */
const FLEET = [
  { ticketId: 'T-E', status: 'executing', updatedAt: at('05:00'), lease: at('10:00') },
  { ticketId: 'T-A', status: 'open', updatedAt: at('01:00') },
  { ticketId: 'T-C', status: 'needs_human', updatedAt: at('02:00') },
  { ticketId: 'T-B', status: 'executing', updatedAt: at('02:00'), lease: at('03:00') },
  { ticketId: 'T-D', status: 'awaiting_approval', updatedAt: at('04:00') },
  { ticketId: 'T-F', status: 'resolved', updatedAt: at('00:30') },
] as const;

async function seedFleet(store: TicketStore): Promise<void> {
  for (const ticket of FLEET) {
    const lease = 'lease' in ticket ? Date.parse(ticket.lease) : undefined;
    await commitOk(
      store,
      ticket.ticketId,
      null,
      sampleTicket(ticket.ticketId, {}, { status: ticket.status, updatedAt: ticket.updatedAt, ...(lease === undefined ? {} : { leaseExpiresAt: lease }) }),
      [event('created')],
    );
  }
}

function summary(ticketId: string): TicketSummary {
  const ticket = FLEET.find((candidate) => candidate.ticketId === ticketId)!;
  return { ticketId, version: 1, status: ticket.status, updatedAt: ticket.updatedAt, claimExpiresAt: 'lease' in ticket ? ticket.lease : null };
}

async function ids(store: TicketStore, query: ListQuery): Promise<string[]> {
  return (await store.list(query)).tickets.map((ticket) => ticket.ticketId);
}

/** Every page of a query, following the cursors (at most 100 pages). */
async function allPages(store: TicketStore, query: ListQuery, between?: () => Promise<void>): Promise<TicketSummary[][]> {
  const pages: TicketSummary[][] = [];
  let cursor: string | null = null;
  do {
    const [page]: [TicketPage, unknown] = await Promise.all([store.list({ ...query, cursor }), between?.()]);
    pages.push(page.tickets);
    cursor = page.cursor;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

/** DESIGN §5 `list`: order, filters, keyset paging, limits, namespaces. */
export function describeList(context: ConformanceContext): void {
  describe('list', () => {
    registerOrderAndFilters(context);
    registerPagingUnderChange(context);
    registerLimitsAndNamespaces(context);
  });
}

function registerOrderAndFilters(context: ConformanceContext): void {
  const { test } = context;
  it('§5 lists summaries oldest updatedAt first, ties by ticket id', test, async () => {
    const store = await context.open();
    await seedFleet(store);
    const page = await store.list();
    expectContract(
      page,
      { tickets: ['T-F', 'T-A', 'T-B', 'T-C', 'T-D', 'T-E'].map(summary), cursor: null },
      'DESIGN §5: list() returns { ticketId, version, status, updatedAt, claimExpiresAt } of every ticket, oldest updatedAt first, ties by ticket id, and cursor null on the last page',
    );
  });

  it('E7 filters by status, statuses, updatedBefore and claimExpiredBefore', test, async () => {
    const store = await context.open();
    await seedFleet(store);
    expectContract(await ids(store, { status: 'executing' }), ['T-B', 'T-E'], 'DESIGN §5: status keeps only tickets in that status');
    expectContract(
      await ids(store, { status: ['needs_human', 'open'] }),
      ['T-A', 'T-C'],
      'DESIGN §5: a status array keeps tickets in any of them, still in list order',
    );
    expectContract(await ids(store, { updatedBefore: at('02:00') }), ['T-F', 'T-A'], 'DESIGN §5: updatedBefore keeps tickets updated strictly before it');
    expectContract(
      await ids(store, { updatedBefore: '2026-03-01T02:00:00.001Z' }),
      ['T-F', 'T-A', 'T-B', 'T-C'],
      'DESIGN §5: updatedBefore compares to the millisecond',
    );
    expectContract(
      await ids(store, { updatedBefore: '2026-03-01T04:00:00+02:00' }),
      ['T-F', 'T-A'],
      'DESIGN §5: times with an offset mean the same instant as in UTC',
    );
    expectContract(
      await ids(store, { claimExpiredBefore: at('04:00') }),
      ['T-B'],
      'DESIGN §5 / E7: claimExpiredBefore keeps tickets holding a claim that expires strictly before it',
    );
    expectContract(
      await ids(store, { claimExpiredBefore: at('23:00'), status: ['executing', 'open'], updatedBefore: at('03:00') }),
      ['T-B'],
      'DESIGN §5: filters combine (and)',
    );
    expectContract(await ids(store, { status: 'closed' }), [], 'DESIGN §5: a status no ticket has lists nothing');
  });

  it('§5 a cursor pages through every ticket once, in order', test, async () => {
    const store = await context.open();
    const expected: string[] = [];
    for (let index = 0; index < 25; index += 1) {
      const ticketId = `T-${String(index).padStart(2, '0')}`;
      // Three tickets per second: ties are paged by ticket id.
      await commitOk(
        store,
        ticketId,
        null,
        sampleTicket(ticketId, {}, { updatedAt: new Date(Date.parse(at('06:00')) + Math.floor(index / 3) * 1_000).toISOString() }),
        [],
      );
      expected.push(ticketId);
    }
    const pages = await allPages(store, { limit: 7 });
    expectContract(
      pages.map((page) => page.length),
      [7, 7, 7, 4],
      'DESIGN §5: pages of limit 7 over 25 tickets hold 7, 7, 7 and 4, and the last page has cursor null',
    );
    expectContract(
      pages.flat().map((ticket) => ticket.ticketId),
      expected,
      'DESIGN §5: following the cursors lists every ticket exactly once, in list order',
    );
  });
}

function registerPagingUnderChange(context: ConformanceContext): void {
  const { test } = context;
  it('§5 paging while commits run never skips or repeats a ticket that did not change', test, async () => {
    const store = await context.open();
    const versions = new Map<string, number>();
    for (let index = 0; index < 60; index += 1) {
      const ticketId = `T-${String(index).padStart(2, '0')}`;
      versions.set(
        ticketId,
        await commitOk(store, ticketId, null, sampleTicket(ticketId, {}, { updatedAt: new Date(Date.parse(at('07:00')) + index * 1_000).toISOString() }), []),
      );
    }
    const movers = [...versions.keys()].filter((_, index) => index % 3 === 0);
    let tick = 0;
    const moveSome = async () => {
      tick += 1;
      const moving = movers.filter((_, index) => index % 4 === tick % 4);
      await Promise.all(
        moving.map(async (ticketId) => {
          const version = await commitOk(
            store,
            ticketId,
            versions.get(ticketId)!,
            sampleTicket(ticketId, { tick }, { updatedAt: new Date(Date.parse(at('08:00')) + tick * 1_000).toISOString() }),
            [event('moved')],
          );
          versions.set(ticketId, version);
        }),
      );
    };
    const listed = (await allPages(store, { limit: 8 }, moveSome)).flat().map((ticket) => ticket.ticketId);
    for (const ticketId of versions.keys()) {
      if (movers.includes(ticketId)) continue;
      const count = listed.filter((listedId) => listedId === ticketId).length;
      expectTrue(
        count === 1,
        `DESIGN §5: a cursor pages through without skipping or repeating a ticket that did not change meanwhile (${ticketId} did not change)`,
        `it was listed ${count} times`,
      );
    }
    for (const ticketId of movers) {
      expectTrue(
        listed.includes(ticketId),
        `DESIGN §5: a ticket updated while paging moves to the end of the order and is still listed (${ticketId})`,
        'it was never listed',
      );
    }
  });

  it('§5 list shows the latest version, status and claim, and forgets deleted tickets', test, async () => {
    const store = await context.open();
    await seedFleet(store);
    await commitOk(store, 'T-B', 1, sampleTicket('T-B', {}, { status: 'resolved', updatedAt: at('09:00') }), [event('resolved')]);
    await store.delete('T-C');
    expectContract(
      (await store.list()).tickets.slice(-1),
      [{ ticketId: 'T-B', version: 2, status: 'resolved', updatedAt: at('09:00'), claimExpiresAt: null }],
      'DESIGN §5: the index is updated in the same commit as the document: new version, status, updatedAt and no claim',
    );
    expectContract(await ids(store, { status: 'needs_human' }), [], 'DESIGN §5: a deleted ticket leaves the index with it');
    expectContract(await ids(store, { status: 'executing' }), ['T-E'], 'DESIGN §5: a ticket that left a status is no longer listed under it');
    expectContract(
      await ids(store, { claimExpiredBefore: at('04:00') }),
      [],
      'DESIGN §5: a ticket whose claim was released is no longer listed by claimExpiredBefore',
    );
  });
}

function registerLimitsAndNamespaces(context: ConformanceContext): void {
  const { test } = context;
  it('§5 limit defaults to 100 and goes up to 1,000', test, async () => {
    const store = await context.open();
    await Promise.all(
      Array.from({ length: 101 }, (_, index) => commitOk(store, `T-${String(index).padStart(3, '0')}`, null, sampleTicket(`T-${index}`, {}), [])),
    );
    const first = await store.list();
    expectTrue(
      first.tickets.length === 100 && first.cursor !== null,
      'DESIGN §5: without limit, list returns 100 tickets and a cursor when there are more',
      `it returned ${first.tickets.length} tickets and cursor ${shown(first.cursor)}`,
    );
    const rest = await store.list({ cursor: first.cursor });
    expectContract(
      rest.tickets.map((ticket) => ticket.ticketId),
      ['T-100'],
      'DESIGN §5: the cursor of the first page leads to the 101st ticket',
    );
    const whole = await store.list({ limit: 1_000 });
    expectTrue(
      whole.tickets.length === 101 && whole.cursor === null,
      'DESIGN §5: limit 1000 returns all 101 tickets and cursor null',
      `it returned ${whole.tickets.length} tickets and cursor ${shown(whole.cursor)}`,
    );
  });

  it('§5 refuses a bad query or cursor as invalid', test, async () => {
    const store = await context.open();
    await seedFleet(store);
    const { cursor } = await store.list({ limit: 2 });
    const tampered = cursor ? `${cursor.slice(0, -2)}x` : 'x';
    const bad: unknown[] = [
      { limit: 0 },
      { limit: 1_001 },
      { limit: 2.5 },
      { limit: '10' },
      { cursor: 'not-a-cursor' },
      { cursor: tampered },
      { cursor: 42 },
      { status: [] },
      { status: 7 },
      { status: [''] },
      { updatedBefore: 'yesterday' },
      { claimExpiredBefore: 1_700_000_000_000 },
      { statuses: ['open'] },
    ];
    for (const query of bad) {
      await expectStoreError(() => store.list(query as ListQuery), 'invalid', `DESIGN §5: list(${shown(query)}) is not a usable query`);
    }
  });

  it('§5 lists only the tickets of its namespace', test, async () => {
    const first = await context.open();
    const second = await context.open();
    await seedFleet(first);
    await commitOk(second, 'T-other', null, sampleTicket('T-other', {}), []);
    expectContract(await ids(second, {}), ['T-other'], 'DESIGN §5: namespaces isolate everything: list shows only its own namespace');
    expectContract((await first.list()).tickets.length, FLEET.length, "DESIGN §5: another namespace's tickets do not appear in list");
  });
}
