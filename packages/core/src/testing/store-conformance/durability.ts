import { describe, it } from 'vitest';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, expectStoreError, pause, sampleTicket } from './conformance-helpers.js';

/** DESIGN §5 and T2: what survives an instance, namespaces, retention, close. */
export function describeDurability(context: ConformanceContext): void {
  describe('durability, namespaces and lifecycle', () => {
    registerPersistenceAndLoss(context);
    registerClose(context);
  });
}

function registerPersistenceAndLoss(context: ConformanceContext): void {
  const { test, capabilities } = context;
  it.skipIf(!capabilities.persistent)('T2 data survives a new store instance', test, async () => {
    const namespace = context.newNamespace();
    const first = await context.open(namespace);
    await commitOk(first, 'T-durable', null, sampleTicket('T-durable', { kept: true }), [event('kept')]);
    await context.release(first);
    const second = await context.open(namespace);
    expectContract(
      await second.load('T-durable'),
      { ticket: sampleTicket('T-durable', { kept: true }), version: 1 },
      'DESIGN T2: a new store instance on the same backend and namespace loads what an earlier one committed',
    );
    expectContract(
      (await second.events('T-durable')).map((stored) => stored.type),
      ['kept'],
      'DESIGN T2: a new store instance reads the events an earlier one committed',
    );
    expectContract(
      (await second.list()).tickets.map((ticket) => ticket.ticketId),
      ['T-durable'],
      'DESIGN T2: a new store instance lists the tickets an earlier one committed',
    );
  });

  it('T1 namespaces isolate documents and events', test, async () => {
    const first = await context.open();
    const second = await context.open();
    await commitOk(first, 'T-shared', null, sampleTicket('T-shared', { owner: 'first' }), [event('first')]);
    expectContract(await second.load('T-shared'), null, 'DESIGN §5: a ticket of one namespace must not load in another');
    expectContract(await second.events('T-shared'), [], 'DESIGN §5: events of one namespace must not be read in another');
    await commitOk(second, 'T-shared', null, sampleTicket('T-shared', { owner: 'second' }), [event('second.a'), event('second.b')]);
    expectContract(
      (await first.load('T-shared'))?.ticket,
      sampleTicket('T-shared', { owner: 'first' }),
      'DESIGN §5: a commit in one namespace must not touch the same id in another',
    );
    expectContract(
      (await first.events('T-shared')).map((stored) => stored.type),
      ['first'],
      'DESIGN §5: events appended in one namespace must not appear in another',
    );
  });

  it.skipIf(!capabilities.ttl)("P3 expires tickets after the store's own retention time", test, async () => {
    const namespace = context.newNamespace();
    const store = await capabilities.ttl!({ namespace, ttlMs: 1_000 });
    context.adopt(store);
    await commitOk(store, 'T-ttl', null, sampleTicket('T-ttl', {}), [event('one')]);
    expectContract((await store.load('T-ttl'))?.version, 1, 'DESIGN §5 retention (ttlMs): a ticket is there before its retention time');
    await pause(2_200);
    expectContract(await store.load('T-ttl'), null, 'DESIGN §5 retention (ttlMs): a ticket not committed for longer than ttlMs must be gone');
    expectContract(await store.events('T-ttl'), [], 'DESIGN §5 retention (ttlMs): its events must be gone too');
    expectContract((await store.list()).tickets, [], 'DESIGN §5 retention (ttlMs): an expired ticket must leave the index too');
  });

  it.skipIf(!capabilities.wipe)('T2 after the backend lost its data the store starts cleanly', test, async () => {
    const namespace = context.newNamespace();
    const store = await context.open(namespace);
    await commitOk(store, 'T-amnesia', null, sampleTicket('T-amnesia', {}), [event('one')]);
    await capabilities.wipe!({ namespace });
    expectContract(await store.load('T-amnesia'), null, 'DESIGN T2: a ticket the backend lost loads as null');
    expectContract((await store.list()).tickets, [], 'DESIGN T2: a backend that lost its data lists nothing');
    expectContract(
      await commitOk(store, 'T-amnesia', null, sampleTicket('T-amnesia', { again: true }), [event('again')]),
      1,
      'DESIGN T2: the id starts again at version 1',
    );
    expectContract(
      (await store.events('T-amnesia')).map((stored) => [stored.seq, stored.type]),
      [[1, 'again']],
      'DESIGN T2: its events start again at seq 1',
    );
  });
}

function registerClose(context: ConformanceContext): void {
  const { test } = context;
  it('§5 close() resolves, can be called twice, and a closed store fails as unavailable with nothing applied', test, async () => {
    const store = await context.open();
    await commitOk(store, 'T-close', null, sampleTicket('T-close', {}), []);
    expectContract(await store.close(), undefined, 'DESIGN §5: close() resolves undefined');
    expectContract(await store.close(), undefined, 'DESIGN §5: close() may be called twice');
    const calls = {
      load: () => store.load('T-close'),
      commit: () => store.commit({ ticketId: 'T-close', expectedVersion: 1, ticket: sampleTicket('T-close', {}), events: [] }),
      events: () => store.events('T-close'),
      delete: () => store.delete('T-close'),
      list: () => store.list(),
      purge: () => store.purge({ before: '2030-01-01T00:00:00.000Z' }),
    };
    for (const [name, call] of Object.entries(calls)) {
      const error = await expectStoreError(call, 'unavailable', `DESIGN §5: ${name}() on a closed store`);
      expectContract(error.outcome, 'not_applied', `DESIGN §5: a call refused because the store is closed has outcome "not_applied" (${name})`);
    }
    await context.release(store);
  });
}
