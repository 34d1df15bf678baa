import { describe, expect, it } from 'vitest';
import { MemoryTicketStore, StoreError, TICKET_SCHEMA_VERSION } from '@ticketflow/core';
import { createHarness } from './support/agent-harness.js';

describe('stored document versions', () => {
  it('upgrades a document written before the schema version existed, and keeps its facts', async () => {
    const store = new MemoryTicketStore();
    const legacy = {
      id: 'T-old',
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      turn: 2,
      status: 'collecting',
      intent: 'no_internet',
      workflow: 'fiber_troubleshoot',
      slots: { service_type: { value: 'fiber', source: 'user', turn: 1 } },
      transcript: [{ role: 'user', text: 'fiber down', at: '2025-01-01T00:00:00.000Z', turn: 1 }],
    };
    await store.commit({ ticketId: 'T-old', expectedVersion: null, ticket: legacy as never, events: [] });
    const { agent, llm } = createHarness({ store });
    llm.enqueue({ intent: null, confidence: 0, entities: { region: 'Hamburg' } });
    const result = await agent.handle({ ticketId: 'T-old', message: 'Hamburg' });
    expect(result.action).toEqual({ type: 'execute', workflow: 'fiber_troubleshoot', outcome: 'resolved' });
    const stored = await store.load('T-old');
    expect(stored?.ticket.schemaVersion).toBe(TICKET_SCHEMA_VERSION);
    expect(stored?.ticket.usage.llmCalls).toBe(1);
  });

  it('refuses a document from a newer engine as corrupt instead of overwriting it', async () => {
    const store = new MemoryTicketStore();
    await store.commit({ ticketId: 'T-new', expectedVersion: null, ticket: { schemaVersion: TICKET_SCHEMA_VERSION + 1, id: 'T-new' } as never, events: [] });
    const { agent } = createHarness({ store });
    const error = await agent.handle({ ticketId: 'T-new', message: 'hi' }).catch((thrown: unknown) => thrown);
    expect(StoreError.isInstance(error) && error.kind).toBe('corrupt');
    expect((await store.load('T-new'))?.version).toBe(1);
  });
});
