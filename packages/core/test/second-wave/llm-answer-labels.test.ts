import { describe, expect, it } from 'vitest';
import { createAgent, defineIntent, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { checkedResponse } from '../../src/decide/checked-response.js';

/**
 * L1 L2: a model name or finish reason a store cannot hold (NUL, lone surrogates) is made
 * storable, on the fast path of short strings too, so it never makes `handle` reject.
 */
const intent = defineIntent({ name: 'sync' });
const workflow = defineWorkflow({ name: 'sync', intent: 'sync', run: async () => ({ status: 'resolved', reply: 'ok' }) });
const decision = JSON.stringify({ intent: 'sync', confidence: 0.9, entities: {} });

describe('adapter answers with unstorable labels', () => {
  it('L1 checkedResponse makes a short model name with a NUL character storable', () => {
    const checked = checkedResponse({ text: decision, model: 'gem\u0000ini', latencyMs: 1 }, 'app');
    expect(checked.model).not.toContain('\u0000');
  });

  it('L2 a model name with a NUL character from an app adapter never makes handle reject (StoreError)', async () => {
    const agent = createAgent({
      store: new MemoryTicketStore(),
      intents: [intent],
      workflows: [workflow],
      llm: { name: 'app', generate: async () => ({ text: decision, model: 'gem\u0000ini', latencyMs: 1 }) },
    });
    const result = await agent.handle({ ticketId: 'N-1', message: 'sync please' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'resolved' });
  });
});
