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
