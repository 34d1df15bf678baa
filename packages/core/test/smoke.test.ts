import { describe, expect, it } from 'vitest';
import { createAgent, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from './support/test-domain.js';

describe('smoke', () => {
  it('runs a conversation', async () => {
    const domain = createTestDomain();
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots });
    llm.enqueue({ intent: 'no_internet', confidence: 0.95, entities: {} });
    const first = await agent.handle({ ticketId: 'T-1', message: 'my internet is down' });
    console.log(first.action, first.reply);
    llm.enqueue({ intent: null, confidence: 0.1, entities: { service_type: 'fiber' } });
    const second = await agent.handle({ ticketId: 'T-1', message: 'fiber' });
    console.log(second.action, second.reply);
    llm.enqueue({ intent: null, confidence: 0.1, entities: { phone: '030 1234567' } });
    const third = await agent.handle({ ticketId: 'T-1', message: 'my number is 030 1234567' });
    console.log(third.action, third.reply, third.ticket.slots);
    const inspection = await agent.inspect('T-1');
    console.log(inspection.events.map((event) => event.type).join(' '));
    expect(third.action).toEqual({ type: 'execute', workflow: 'fiber_troubleshoot', outcome: 'resolved' });
  });
});
