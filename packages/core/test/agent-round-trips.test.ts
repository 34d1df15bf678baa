import { describe, expect, it } from 'vitest';
import { MemoryTicketStore, type TicketStore } from '@ticketflow/core';
import { createHarness } from './support/agent-harness.js';

/** Counts the store calls an agent makes. */
function countingStore(): { store: TicketStore; counts: Record<string, number>; reset: () => void } {
  const inner = new MemoryTicketStore();
  const counts: Record<string, number> = { load: 0, commit: 0, events: 0 };
  const store: TicketStore = {
    name: 'counting',
    load: (id) => ((counts.load! += 1), inner.load(id)),
    commit: (request) => ((counts.commit! += 1), inner.commit(request)),
    events: (id, options) => ((counts.events! += 1), inner.events(id, options)),
    delete: (id) => inner.delete(id),
    list: (query) => inner.list(query),
    purge: (options) => inner.purge(options),
    close: () => inner.close(),
  };
  return { store, counts, reset: () => Object.keys(counts).forEach((key) => (counts[key] = 0)) };
}

describe('store round trips per turn', () => {
  it('a turn that does not execute costs one load and one commit', async () => {
    const counting = countingStore();
    const { agent, llm } = createHarness({ store: counting.store });
    llm.enqueue({ intent: 'no_internet', confidence: 0.9 });
    await agent.handle({ ticketId: 'RT-1', message: 'down' });
    expect(counting.counts).toEqual({ load: 1, commit: 1, events: 0 });
  });

  it('an executing turn with n tool calls costs one load and n + 1 commits (checkpoint rides on the first journal write)', async () => {
    const counting = countingStore();
    const { agent, llm } = createHarness({ store: counting.store });
    llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } });
    const result = await agent.handle({ ticketId: 'RT-2', message: 'fiber down in Hamburg' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
    expect(counting.counts).toEqual({ load: 1, commit: 3, events: 0 });
    counting.reset();
    llm.enqueue({ intent: 'no_internet', confidence: 0.9, entities: { service_type: 'mobile', region: 'Berlin' } });
    await agent.handle({ ticketId: 'RT-3', message: 'mobile down in Berlin' });
    expect(counting.counts).toEqual({ load: 1, commit: 2, events: 0 });
  });
});
