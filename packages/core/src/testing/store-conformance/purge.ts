import { describe, it } from 'vitest';
import type { PurgeOptions, TicketStore } from '../../store/ticket-store.js';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, expectStoreError, sampleTicket, shown } from './conformance-helpers.js';

const OLD = '2026-01-01T00:00:00.000Z';
const NEW = '2026-06-01T00:00:00.000Z';
const CUTOFF = '2026-03-01T00:00:00.000Z';

/** Old tickets in every kind of status, plus one recent ticket. */
const TICKETS = [
  { ticketId: 'T-resolved', status: 'resolved', updatedAt: OLD },
  { ticketId: 'T-open', status: 'open', updatedAt: OLD },
  { ticketId: 'T-needs-human', status: 'needs_human', updatedAt: OLD },
  { ticketId: 'T-executing', status: 'executing', updatedAt: OLD },
  { ticketId: 'T-approval', status: 'awaiting_approval', updatedAt: OLD },
  { ticketId: 'T-input', status: 'awaiting_input', updatedAt: OLD },
  { ticketId: 'T-recent', status: 'resolved', updatedAt: NEW },
] as const;

async function seed(store: TicketStore): Promise<void> {
  for (const ticket of TICKETS) {
    await commitOk(
      store,
      ticket.ticketId,
      null,
      sampleTicket(ticket.ticketId, { pii: 'Jane Doe, 1 Main Street' }, { status: ticket.status, updatedAt: ticket.updatedAt }),
      [event('created', { text: 'my card is 4111 1111 1111 1111' })],
    );
  }
}

async function remaining(store: TicketStore): Promise<string[]> {
  return (await store.list({ limit: 1_000 })).tickets.map((ticket) => ticket.ticketId).sort();
}

/** DESIGN §5 `purge`: retention that never touches busy tickets. */
export function describePurge(context: ConformanceContext): void {
  describe('purge', () => {
    registerRetention(context);
    registerPurgeBoundaries(context);
  });
}

function registerRetention(context: ConformanceContext): void {
  const { test } = context;
  it('P3 purge deletes tickets last updated before the cutoff, with their events, and returns how many', test, async () => {
    const store = await context.open();
    await seed(store);
    expectContract(await store.purge({ before: CUTOFF }), 3, 'DESIGN §5: purge returns how many tickets it deleted (3 old tickets are not busy)');
    for (const ticketId of ['T-resolved', 'T-open', 'T-needs-human']) {
      expectContract(await store.load(ticketId), null, `DESIGN §5: purge deletes a ticket last updated before "before" that is not busy (${ticketId})`);
      expectContract(await store.events(ticketId), [], `DESIGN §5: purge deletes the events of a purged ticket too (${ticketId})`);
    }
    expectContract(
      await remaining(store),
      ['T-approval', 'T-executing', 'T-input', 'T-recent'].sort(),
      'DESIGN §5: the index forgets purged tickets; busy and recent ones stay listed',
    );
    const stale = await store.commit({ ticketId: 'T-resolved', expectedVersion: 1, ticket: sampleTicket('T-resolved', {}), events: [event('zombie')] });
    expectContract(
      stale,
      { ok: false, reason: 'conflict', version: null },
      'DESIGN §5: a purged ticket stays gone: a commit prepared before the purge is a conflict with version null',
    );
  });

  it('E7 purge never deletes a busy ticket (executing, awaiting approval, awaiting input) nor a recent one', test, async () => {
    const store = await context.open();
    await seed(store);
    await store.purge({ before: CUTOFF });
    for (const ticketId of ['T-executing', 'T-approval', 'T-input', 'T-recent']) {
      expectContract((await store.load(ticketId))?.version, 1, `DESIGN §5: purge must leave ${ticketId} (busy, or updated after the cutoff)`);
      expectContract((await store.events(ticketId)).length, 1, `DESIGN §5: purge must leave the events of ${ticketId}`);
    }
  });

  it('P3 purge deletes at most limit tickets, oldest first', test, async () => {
    const store = await context.open();
    for (let index = 0; index < 5; index += 1) {
      const ticketId = `T-${index}`;
      await commitOk(
        store,
        ticketId,
        null,
        sampleTicket(ticketId, {}, { status: 'resolved', updatedAt: new Date(Date.parse(OLD) + index * 60_000).toISOString() }),
        [],
      );
    }
    expectContract(await store.purge({ before: CUTOFF, limit: 2 }), 2, 'DESIGN §5: purge({ limit: 2 }) deletes at most 2 tickets');
    expectContract(await remaining(store), ['T-2', 'T-3', 'T-4'], 'DESIGN §5: purge deletes the oldest tickets first');
    expectContract(await store.purge({ before: CUTOFF }), 3, 'DESIGN §5: purge without a limit deletes the rest');
    expectContract(await store.purge({ before: CUTOFF }), 0, 'DESIGN §5: purge with nothing to delete returns 0');
  });

  it('P3 retention works through purge: tickets idle for longer than the retention go, with their events', test, async () => {
    const store = await context.open();
    const now = Date.now();
    const retentionMs = 30 * 86_400_000;
    await commitOk(store, 'T-idle', null, sampleTicket('T-idle', {}, { status: 'resolved', updatedAt: new Date(now - retentionMs - 60_000).toISOString() }), [
      event('old'),
    ]);
    await commitOk(store, 'T-active', null, sampleTicket('T-active', {}, { status: 'resolved', updatedAt: new Date(now - 60_000).toISOString() }), [
      event('new'),
    ]);
    expectContract(
      await store.purge({ before: new Date(now - retentionMs).toISOString() }),
      1,
      'DESIGN §5: purge({ before: now - retention }) deletes exactly the tickets idle for longer than the retention',
    );
    expectContract(
      [await store.load('T-idle'), (await store.load('T-active'))?.version],
      [null, 1],
      'DESIGN §5: retention keeps the active ticket and removes the idle one',
    );
  });
}

function registerPurgeBoundaries(context: ConformanceContext): void {
  const { test } = context;
  it('P3 purge stays in its namespace', test, async () => {
    const first = await context.open();
    const second = await context.open();
    await seed(first);
    await seed(second);
    await first.purge({ before: CUTOFF });
    expectContract((await remaining(second)).length, TICKETS.length, 'DESIGN §5: namespaces isolate purges: another namespace keeps all its tickets');
  });

  it('§5 refuses bad purge options as invalid and deletes nothing', test, async () => {
    const store = await context.open();
    await seed(store);
    const bad: unknown[] = [
      {},
      { before: 'last year' },
      { before: 1_700_000_000_000 },
      { before: CUTOFF, limit: 0 },
      { before: CUTOFF, limit: 1.5 },
      { before: CUTOFF, olderThan: 5 },
      null,
    ];
    for (const options of bad) {
      await expectStoreError(() => store.purge(options as PurgeOptions), 'invalid', `DESIGN §5: purge(${shown(options)}) is not usable`);
    }
    expectContract((await remaining(store)).length, TICKETS.length, 'DESIGN §5: a refused purge deletes nothing');
  });
}
