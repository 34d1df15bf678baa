import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventOf } from '../events/draft.js';
import type { TicketDoc } from '../model/ticket.js';
import type { TicketStore } from '../store/ticket-store.js';
import { TicketWriter } from './ticket-writer.js';

/** A store whose commits wait until the test lets each one land, recording what was sent. */
function gatedStore() {
  const commits: { ticket: TicketDoc; events: string[] }[] = [];
  const gates: (() => void)[] = [];
  let version = 1;
  const store = {
    commit: async (request: { ticket: TicketDoc; events: readonly { type: string }[] }) => {
      await new Promise<void>((resolve) => gates.push(resolve));
      commits.push({ ticket: request.ticket, events: request.events.map((event) => event.type) });
      version += 1;
      return { ok: true, version };
    },
  } as unknown as TicketStore;
  const land = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { store, commits, land };
}

const doc = (label: string) => ({ id: 'T-1', label }) as unknown as TicketDoc;
const at = new Date(0).toISOString();

describe('TicketWriter', () => {
  it('E3 a checkpoint staged while a write is in flight is neither lost nor overwritten: the next write commits it with its events', async () => {
    const { store, commits, land } = gatedStore();
    const writer = new TicketWriter(store, doc('claimed'), 1);
    // A heartbeat renewal goes out…
    const renewal = writer.write((latest) => ({ ...latest, label: 'renewed' }) as TicketDoc);
    await new Promise((resolve) => setImmediate(resolve));
    // …and before it lands, the turn stages its next checkpoint (the abandoned procedure, the new run).
    writer.stage(doc('next run'), [
      eventOf('execution.abandoned', at, { workflow: 'w', turn: 3, reason: 'intent_changed', policy: 'keep', compensated: true }),
    ]);
    await land();
    await renewal;
    expect(writer.hasStaged).toBe(true);
    expect((writer.ticket as unknown as { label: string }).label).toBe('next run');
    const step = writer.write(
      (latest) => latest,
      [eventOf('turn.completed', at, { turn: 5, messageId: null, action: { type: 'acknowledge' }, reply: '' } as never)],
    );
    await land();
    await step;
    expect(commits.map((commit) => [(commit.ticket as unknown as { label: string }).label, commit.events])).toEqual([
      ['renewed', []],
      ['next run', ['execution.abandoned', 'turn.completed']],
    ]);
    expect(writer.hasStaged).toBe(false);
    expect(writer.committedEvents.map((event) => event.type)).toEqual(['execution.abandoned', 'turn.completed']);
  });

  it('E3 a staged checkpoint committed by a write is cleared, and one staged after it is kept', async () => {
    const { store, commits, land } = gatedStore();
    const writer = new TicketWriter(store, doc('start'), 1);
    writer.stage(doc('claim'), [eventOf('execution.resumed', at, { workflow: 'w', turn: 1, slot: 's' })]);
    const first = writer.write((latest) => latest);
    await new Promise((resolve) => setImmediate(resolve));
    writer.stage(doc('later'), []);
    await land();
    await first;
    expect(commits[0]!.events).toEqual(['execution.resumed']);
    expect(writer.hasStaged).toBe(true);
    expect((writer.ticket as unknown as { label: string }).label).toBe('later');
  });
});

describe('TicketWriter under any interleaving (fast-check)', () => {
  it('E3 every event written or staged is committed exactly once, whatever lands while checkpoints are staged', async () => {
    const operation = fc.oneof(fc.constant('write' as const), fc.constant('stage' as const), fc.constant('land' as const));
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 30 }), async (operations) => {
        const { store, commits, land } = gatedStore();
        const writer = new TicketWriter(store, doc('start'), 1);
        const sent: string[] = [];
        const pending: Promise<void>[] = [];
        const event = () => {
          const id = `e${sent.length}`;
          sent.push(id);
          return eventOf('slot.set', at, { slot: id, value: id, source: 'user' });
        };
        let landed = 0;
        for (const operation of operations) {
          if (operation === 'write') pending.push(writer.write((latest) => latest, [event()]));
          else if (operation === 'stage') writer.stage(doc(`staged ${sent.length}`), [event()]);
          else if (landed < pending.length) {
            await land();
            landed += 1;
          }
        }
        // Whatever is still staged goes out with a last write.
        pending.push(writer.write((latest) => latest));
        while (landed < pending.length) {
          await land();
          landed += 1;
        }
        await Promise.all(pending);
        expect(writer.hasStaged).toBe(false);
        const committed = writer.committedEvents.map((committedEvent) => (committedEvent.data as { slot: string }).slot);
        expect([...committed].sort()).toEqual([...sent].sort());
        expect(commits.flatMap((commit) => commit.events)).toHaveLength(sent.length);
      }),
      { numRuns: 300 },
    );
  });
});
