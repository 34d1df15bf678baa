import { describe, it } from 'vitest';
import type { StoredTicketEvent } from '../../store/ticket-event.js';
import type { TicketStore } from '../../store/ticket-store.js';
import type { ConformanceContext } from './conformance-context.js';
import { commitOk, event, expectContract, expectTrue, sampleTicket, shown } from './conformance-helpers.js';

const EVENTS_PER_COMMIT = 3;

function versionOf(stored: StoredTicketEvent): number {
  return Number(stored.data?.version ?? 0);
}

function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Commits versions 2…`commits` + 1 of `ticketId`, each with its events tagged with the version it creates. */
async function writeVersions(store: TicketStore, ticketId: string, commits: number): Promise<void> {
  for (let version = 2; version <= commits + 1; version += 1) {
    const events = Array.from({ length: EVENTS_PER_COMMIT }, (_, index) => event('turn.step', { version, index }));
    await commitOk(store, ticketId, version - 1, sampleTicket(ticketId, { version }), events);
  }
}

/** Reads until `done`, checking both orders of load and events; returns the first violation. */
async function watch(store: TicketStore, ticketId: string, isDone: () => boolean): Promise<string | null> {
  let reads = 0;
  while (!isDone() || reads < 2) {
    reads += 1;
    const loaded = await store.load(ticketId);
    const afterLoad = await store.events(ticketId);
    const seen = loaded?.version ?? 0;
    const present = afterLoad.filter((stored) => versionOf(stored) <= seen).length;
    if (present !== seen * EVENTS_PER_COMMIT) {
      return `a reader loaded version ${seen}, then read events and found ${present} of the ${seen * EVENTS_PER_COMMIT} events of versions 1–${seen} (the document became visible before its events)`;
    }
    const beforeLoad = await store.events(ticketId);
    const reloaded = await store.load(ticketId);
    const newest = Math.max(0, ...beforeLoad.map(versionOf));
    if (newest > (reloaded?.version ?? 0)) {
      return `a reader saw events of version ${newest}, then loaded version ${String(reloaded?.version)} (events became visible before their document)`;
    }
    await yieldToOthers();
  }
  return null;
}

/** DESIGN T3 and T6 under concurrency: atomic visibility, one winner, isolation between tickets. */
export function describeConcurrency(context: ConformanceContext): void {
  const { test } = context;

  describe('concurrency', () => {
    it('T6 50 racing commits on one version have exactly one winner', test, async () => {
      const store = await context.open();
      const version = await commitOk(store, 'T-race', null, sampleTicket('T-race', { winner: null }), [event('created')]);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          store.commit({
            ticketId: 'T-race',
            expectedVersion: version,
            ticket: sampleTicket('T-race', { winner: index }),
            events: [event('raced', { index })],
          }),
        ),
      );
      const winners = results.flatMap((result, index) => (result.ok ? [index] : []));
      expectTrue(winners.length === 1, 'DESIGN §5 / T6: of 50 commits racing on one expected version exactly one must succeed', `${winners.length} succeeded`);
      const losers = results.filter((result) => !result.ok);
      expectContract(
        losers,
        Array.from({ length: 49 }, () => ({ ok: false, reason: 'conflict', version: 2 })),
        'DESIGN §5: every loser must get { ok: false, reason: "conflict", version: 2 }',
      );
      const loaded = await store.load('T-race');
      expectContract(
        loaded,
        { ticket: sampleTicket('T-race', { winner: winners[0] }), version: 2 },
        "DESIGN §5: the stored document is the winner's, at version 2",
      );
      const events = await store.events('T-race');
      expectContract(
        events.map((stored) => [stored.seq, stored.type, stored.data]),
        [
          [1, 'created', undefined],
          [2, 'raced', { index: winners[0] }],
        ],
        "DESIGN T3: only the winner's events are appended",
      );
    });

    it('T6 20 racing creations of one id have exactly one winner', test, async () => {
      const store = await context.open();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store.commit({ ticketId: 'T-born', expectedVersion: null, ticket: sampleTicket('T-born', { index }), events: [event('created', { index })] }),
        ),
      );
      const winners = results.flatMap((result, index) => (result.ok ? [index] : []));
      expectTrue(winners.length === 1, 'DESIGN §5 / T6: of 20 creations of one id exactly one must succeed', `${winners.length} succeeded: ${shown(results)}`);
      expectContract(
        (await store.events('T-born')).map((stored) => stored.data),
        [{ index: winners[0] }],
        "DESIGN T3: only the winning creation's events are stored",
      );
    });

    it('T3 readers polling load and events during commits always see a document with all its events, and no events without their document', test, async () => {
      const store = await context.open();
      await commitOk(
        store,
        'T-watched',
        null,
        sampleTicket('T-watched', { version: 1 }),
        Array.from({ length: EVENTS_PER_COMMIT }, (_, index) => event('created', { version: 1, index })),
      );
      let done = false;
      const writing = writeVersions(store, 'T-watched', 30).finally(() => (done = true));
      const violations = await Promise.all(Array.from({ length: 3 }, () => watch(store, 'T-watched', () => done)));
      await writing;
      expectContract(
        violations.filter((violation) => violation !== null),
        [],
        "DESIGN T3: a commit's document, version and events become visible together (no partial update is ever visible)",
      );
      expectContract((await store.events('T-watched')).length, 31 * EVENTS_PER_COMMIT, 'DESIGN §5: every committed event is stored');
    });

    it("T3 interleaved commits on two tickets keep each ticket's events under that ticket", test, async () => {
      const store = await context.open();
      const tickets = ['T-left', 'T-right'];
      const versions = new Map<string, number | null>(tickets.map((ticketId) => [ticketId, null]));
      for (let round = 0; round < 20; round += 1) {
        await Promise.all(
          tickets.map(async (ticketId) => {
            const events = [event('turn.step', { ticket: ticketId, round }), event('turn.step', { ticket: ticketId, round })];
            versions.set(ticketId, await commitOk(store, ticketId, versions.get(ticketId)!, sampleTicket(ticketId, { round }), events));
          }),
        );
      }
      for (const ticketId of tickets) {
        const events = await store.events(ticketId);
        const foreign = events.filter((stored) => stored.data?.ticket !== ticketId);
        expectContract(
          foreign.map((stored) => stored.data?.ticket),
          [],
          `DESIGN T3: the events of a commit are appended to the ticket of that commit (${ticketId} holds events of another ticket)`,
        );
        expectContract(
          events.map((stored) => stored.seq),
          Array.from({ length: 40 }, (_, index) => index + 1),
          `DESIGN §5: ${ticketId} has its 40 events, seq 1–40 without gaps`,
        );
      }
    });
  });
}
