import { describe, expect, it } from 'vitest';
import { createAgent, MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from './support/test-domain.js';
import { assertGapFree, assertNoInterleaving } from './support/history.js';

describe('concurrency', () => {
  it('T6 20 concurrent turns on one ticket across 4 workers: serialised, nothing lost, each tool runs once per key', async () => {
    const domain = createTestDomain();
    const data = new MemoryStoreData();
    const regions = ['Hamburg', 'Munich', 'Bremen', 'Dresden', 'Leipzig'];
    const respond = (_prompt: string, call: { message: string | null }) => {
      const index = Number(/#(\d+)/.exec(call.message ?? '')?.[1] ?? 0);
      return { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: `${regions[index % 5]}-${index}` } };
    };
    const workers = Array.from({ length: 4 }, (_, index) =>
      createAgent({
        store: new MemoryTicketStore({ data }),
        llm: new MockLLM({ respond, latencyMs: 1 }),
        intents: domain.intents,
        workflows: domain.workflows,
        slots: domain.extraSlots,
        instanceId: `w${index}`,
        leaseMs: 5_000,
      }),
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => workers[index % 4]!.handle({ ticketId: 'T6', message: `message #${index}`, messageId: `m-${index}` })),
    );
    expect(results.every((result) => result.action.type === 'execute' && result.action.outcome === 'resolved')).toBe(true);
    const store = new MemoryTicketStore({ data });
    const loaded = await store.load('T6');
    const events = await store.events('T6');
    assertGapFree(events);
    assertNoInterleaving(events);
    expect(loaded?.ticket.turn).toBe(20);
    const texts = loaded!.ticket.transcript
      .filter((entry) => entry.role === 'user')
      .map((entry) => entry.text)
      .sort();
    expect(texts).toEqual(Array.from({ length: 20 }, (_, index) => `message #${index}`).sort());
    const keys = domain.backend.runs.map((run) => run.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(events.filter((event) => event.type === 'execution.started')).toHaveLength(20);
    expect(events.filter((event) => event.type === 'execution.completed')).toHaveLength(20);
  });

  it('T6 two processes never both execute on one version: the loser re-runs on fresh state and never ran a tool', async () => {
    const domain = createTestDomain();
    const data = new MemoryStoreData();
    const make = (id: string) =>
      createAgent({
        store: new MemoryTicketStore({ data }),
        llm: new MockLLM({ fallback: { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', region: 'Hamburg' } }, latencyMs: 5 }),
        intents: domain.intents,
        workflows: domain.workflows,
        slots: domain.extraSlots,
        instanceId: id,
      });
    const [first, second] = await Promise.all([make('a').handle({ ticketId: 'T6b', message: 'down' }), make('b').handle({ ticketId: 'T6b', message: 'down' })]);
    const actions = [first.action, second.action].map((action) => action.type).sort();
    expect(actions).toEqual(['acknowledge', 'execute']);
    expect(domain.backend.runs.filter((run) => run.tool === 'check_outage')).toHaveLength(1);
  });
});
