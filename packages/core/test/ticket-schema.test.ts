import { describe, expect, it } from 'vitest';
import { ticketDocSchema } from '@ticketflow/core';
import { createHarness } from './support/agent-harness.js';

describe('ticketDocSchema', () => {
  it('validates every document the engine writes through a conversation with execution, failure, confirmation and approval', async () => {
    const { agent, llm, store, backend } = createHarness();
    const script: [string, object][] = [
      ['fiber down', { intent: 'no_internet', confidence: 0.9, entities: { service_type: 'fiber', phone: '030 1234567' } }],
      ['bill is wrong', { intent: 'billing_dispute', confidence: 0.9, entities: { account_type: 'personal', amount: 80 } }],
      ['yes', { intent: null, confidence: 0.1, entities: { confirm: true } }],
    ];
    for (const [message, decision] of script) {
      llm.enqueue(decision as never);
      await agent.handle({ ticketId: 'S', message, messageId: message });
      expect(ticketDocSchema.safeParse((await store.load('S'))?.ticket).success).toBe(true);
    }
    backend.failTool('notify_customer', new Error('smtp down'));
    await agent.approve('S', { by: 'agent-1' });
    const parsed = ticketDocSchema.safeParse((await store.load('S'))?.ticket);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('rejects a document that is not a ticket', () => {
    expect(ticketDocSchema.safeParse({ id: 'x' }).success).toBe(false);
  });
});
