import { describe, it } from 'vitest';
import type { TicketStore } from '../../store/ticket-store.js';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, sampleTicket } from './conformance-helpers.js';

/** Checks that a commit prepared against the first life (version 1, `inc-old`) is refused. */
async function expectStaleLifeRefused(store: TicketStore, ticketId: string, afterWhat: string): Promise<void> {
  const stale = await store.commit({
    ticketId,
    expectedVersion: 1,
    ticket: sampleTicket(ticketId, { life: 'old', revived: true }, { incarnation: 'inc-old' }),
    events: [event('zombie')],
  });
  expectContract(
    stale,
    { ok: false, reason: 'conflict', version: 1 },
    `DESIGN §5: a commit prepared against an earlier life of the ticket id (expectedVersion 1, incarnation "inc-old") must be refused after ${afterWhat}, even though the new ticket is at version 1 too — the stored incarnation differs`,
  );
  expectContract(
    (await store.load(ticketId))?.ticket,
    sampleTicket(ticketId, { life: 'new' }, { incarnation: 'inc-new' }),
    `DESIGN §5: the refused commit must leave the new ticket's document as it was (${afterWhat})`,
  );
  expectContract(
    (await store.events(ticketId)).map((stored) => [stored.seq, stored.type]),
    [[1, 'new.created']],
    `DESIGN §5: the refused commit must not append to the new ticket's events (${afterWhat})`,
  );
}

/** DESIGN §5 `delete` (P3) and incarnations: a commit never lands on another life of its id. */
export function describeDeleteAndIncarnation(context: ConformanceContext): void {
  describe('delete and incarnations', () => {
    registerDeletesAndLives(context);
    registerNamespacedDeletes(context);
  });
}

function registerDeletesAndLives(context: ConformanceContext): void {
  const { test, capabilities } = context;
  it('P3 delete erases the ticket and its events, and a stale commit cannot bring it back', test, async () => {
    const store = await context.open();
    const version = await commitOk(store, 'T-erase', null, sampleTicket('T-erase', { pii: 'secret address' }), [event('one'), event('two')]);
    await store.delete('T-erase');
    expectContract(await store.load('T-erase'), null, 'DESIGN §5 / P3: a deleted ticket must load as null');
    expectContract(await store.events('T-erase'), [], "DESIGN §5 / P3: delete must erase the ticket's events too");
    const stale = await store.commit({ ticketId: 'T-erase', expectedVersion: version, ticket: sampleTicket('T-erase', {}), events: [event('zombie')] });
    expectContract(
      stale,
      { ok: false, reason: 'conflict', version: null },
      'DESIGN §5: a commit with the version of a deleted ticket must be a conflict with version null (a deleted ticket stays gone)',
    );
    expectContract(await store.load('T-erase'), null, 'DESIGN §5: a refused commit must not re-create a deleted ticket');
    await store.delete('T-erase');
    await store.delete('T-never-existed');
    const recreated = await commitOk(store, 'T-erase', null, sampleTicket('T-erase', { fresh: true }), [event('fresh')]);
    expectContract(recreated, 1, 'DESIGN §5: a ticket created again under a deleted id starts at version 1');
    expectContract(
      (await store.events('T-erase')).map((stored) => [stored.seq, stored.type]),
      [[1, 'fresh']],
      'DESIGN §5: a ticket created again under a deleted id starts its events at seq 1, without the old ones',
    );
  });

  it('T3 a commit prepared before a delete never lands on a new ticket that reached the same version (incarnation)', test, async () => {
    const store = await context.open();
    await commitOk(store, 'T-life', null, sampleTicket('T-life', { life: 'old' }, { incarnation: 'inc-old' }), [event('old.created')]);
    await store.delete('T-life');
    await commitOk(store, 'T-life', null, sampleTicket('T-life', { life: 'new' }, { incarnation: 'inc-new' }), [event('new.created')]);
    await expectStaleLifeRefused(store, 'T-life', 'a delete');
  });

  it('T3 the incarnation is checked with the version: same version, other incarnation is a conflict; same incarnation commits', test, async () => {
    const store = await context.open();
    await commitOk(store, 'T-inc', null, sampleTicket('T-inc', { n: 1 }, { incarnation: 'inc-a' }), []);
    const other = await store.commit({
      ticketId: 'T-inc',
      expectedVersion: 1,
      ticket: sampleTicket('T-inc', { n: 2 }, { incarnation: 'inc-b' }),
      events: [event('other')],
    });
    expectContract(
      other,
      { ok: false, reason: 'conflict', version: 1 },
      'DESIGN §5: a commit whose document carries another incarnation than the stored one must be a conflict, even at the right version',
    );
    const same = await store.commit({
      ticketId: 'T-inc',
      expectedVersion: 1,
      ticket: sampleTicket('T-inc', { n: 2 }, { incarnation: 'inc-a' }),
      events: [event('same')],
    });
    expectContract(same, { ok: true, version: 2 }, 'DESIGN §5: a commit at the stored version and incarnation must succeed');
  });

  it.skipIf(!capabilities.wipe)('T2 a commit prepared before the backend lost its data never lands on a new ticket (incarnation)', test, async () => {
    const namespace = context.newNamespace();
    const store = await context.open(namespace);
    await commitOk(store, 'T-lost', null, sampleTicket('T-lost', { life: 'old' }, { incarnation: 'inc-old' }), [event('old.created')]);
    await capabilities.wipe!({ namespace });
    expectContract(
      await store.load('T-lost'),
      null,
      'DESIGN T2: after the backend lost its data the ticket loads as null (the capability wipe must remove it)',
    );
    const lostVersion = await store.commit({
      ticketId: 'T-lost',
      expectedVersion: 1,
      ticket: sampleTicket('T-lost', { life: 'old' }, { incarnation: 'inc-old' }),
      events: [event('zombie')],
    });
    expectContract(
      lostVersion,
      { ok: false, reason: 'conflict', version: null },
      'DESIGN §5: a commit for a ticket the backend lost must be a conflict with version null, never an upsert',
    );
    await commitOk(store, 'T-lost', null, sampleTicket('T-lost', { life: 'new' }, { incarnation: 'inc-new' }), [event('new.created')]);
    await expectStaleLifeRefused(store, 'T-lost', 'the backend lost its data');
  });
}

function registerNamespacedDeletes(context: ConformanceContext): void {
  const { test } = context;
  it('P3 deleting in one namespace leaves the same id in another alone', test, async () => {
    const first = await context.open();
    const second = await context.open();
    await commitOk(first, 'T-shared', null, sampleTicket('T-shared', { owner: 'first' }), [event('first')]);
    await commitOk(second, 'T-shared', null, sampleTicket('T-shared', { owner: 'second' }), [event('second')]);
    await second.delete('T-shared');
    expectContract(await second.load('T-shared'), null, 'DESIGN §5: delete removes the ticket of its own namespace');
    expectContract(
      (await first.load('T-shared'))?.ticket,
      sampleTicket('T-shared', { owner: 'first' }),
      'DESIGN §5: namespaces isolate deletes: the same id in another namespace must stay',
    );
    expectContract(
      (await first.events('T-shared')).map((stored) => stored.type),
      ['first'],
      'DESIGN §5: namespaces isolate deletes: events of the same id in another namespace must stay',
    );
  });
}
