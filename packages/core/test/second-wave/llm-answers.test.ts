import { describe, expect, it } from 'vitest';
import { createAgent, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from '../support/test-domain.js';

/**
 * L1 L2: what an adapter returns is foreign input (a server's fields passed on, or an app's own
 * `LLM`): odd token counts, model names and giant answers never make a turn throw, never
 * corrupt `ticket.usage`, and never write unbounded values into the event log.
 */
function world(answer: unknown) {
  const domain = createTestDomain();
  const store = new MemoryTicketStore();
  const llm = new MockLLM({ respond: () => answer as never });
  const agent = createAgent({ store, llm, intents: domain.intents, workflows: domain.workflows, slots: domain.extraSlots, llmRetry: { retries: 0 } });
  return { agent, store };
}

const decisionText = JSON.stringify({ intent: 'no_internet', confidence: 0.9, entities: {} });

describe('answers with foreign metadata', () => {
  it('L1 T4 NaN, string and negative token counts: the turn goes on, the ticket is stored, usage stays numeric', async () => {
    for (const usage of [
      { inputTokens: Number.NaN, outputTokens: 5 },
      { inputTokens: '10', outputTokens: '10' },
      { inputTokens: 10, outputTokens: -495 },
    ]) {
      const { agent } = world({ text: decisionText, usage });
      const result = await agent.handle({ ticketId: 'U-1', message: 'my internet is down' });
      expect(result.action.type).not.toBe('fallback');
      const ticket = await agent.getTicket('U-1');
      expect(ticket).not.toBeNull();
      for (const value of Object.values(ticket!.usage)) expect(Number.isFinite(value) && value >= 0, JSON.stringify(ticket!.usage)).toBe(true);
    }
  });

  it('L1 a model name that is not a short string is recorded as a bounded string', async () => {
    for (const model of [{ name: 'x' }, 'm'.repeat(100_000)]) {
      const { agent } = world({ text: decisionText, model });
      await agent.handle({ ticketId: 'M-1', message: 'my internet is down' });
      const called = (await agent.inspect('M-1')).events.find((event) => event.type === 'llm.called');
      const recorded = (called?.data as { model?: unknown }).model;
      expect(typeof recorded).toBe('string');
      expect((recorded as string).length).toBeLessThanOrEqual(200);
    }
  });

  it('L1 a giant answer (an unknown entity of 2 MB) is refused as invalid output: the event log stays small', async () => {
    const giant = JSON.stringify({ intent: 'no_internet', confidence: 0.9, entities: { notes: 'x'.repeat(2_000_000) } });
    const { agent, store } = world(giant);
    const result = await agent.handle({ ticketId: 'G-1', message: 'my internet is down' });
    expect(result.action).toEqual({ type: 'fallback', reason: 'invalid_output' });
    expect(JSON.stringify(await store.events('G-1')).length).toBeLessThan(50_000);
  });
});
