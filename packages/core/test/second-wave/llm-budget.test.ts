import { describe, expect, it } from 'vitest';
import { ConfigurationError, createAgent, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from '../support/test-domain.js';

/**
 * L2: a turn's decision is bounded as a whole (`llmBudgetMs`), not only per request: providers
 * that hang, retries, backoff and re-asks across the chain never keep `handle` longer than the
 * budget (plus the time to commit), and the turn degrades like any LLM failure.
 */
function hangingChain(llmBudgetMs: number | undefined) {
  const domain = createTestDomain();
  const calls: string[] = [];
  const hanging = (name: string) =>
    new MockLLM({
      name,
      respond: () => {
        calls.push(name);
        return { delayMs: 60_000, then: JSON.stringify({ intent: 'no_internet', confidence: 0.9, entities: {} }) };
      },
    });
  const agent = createAgent({
    store: new MemoryTicketStore(),
    llm: [hanging('first'), hanging('second')],
    intents: domain.intents,
    workflows: domain.workflows,
    slots: domain.extraSlots,
    llmTimeoutMs: 1_000,
    llmRetry: { retries: 2, minDelayMs: 10, maxDelayMs: 20 },
    ...(llmBudgetMs !== undefined ? { llmBudgetMs } : {}),
  });
  return { agent, calls };
}

describe('the LLM budget of a turn', () => {
  it('L2 T4 two hanging providers with 3 attempts of 1 s each: the turn degrades after the 400 ms budget, the message kept', async () => {
    const { agent, calls } = hangingChain(400);
    const started = performance.now();
    const result = await agent.handle({ ticketId: 'B-1', message: 'my internet is down' });
    const tookMs = performance.now() - started;
    expect(result.action).toEqual({ type: 'fallback', reason: 'timeout' });
    expect(tookMs, 'without the budget it takes 6 s').toBeLessThan(3_000);
    expect(calls).toEqual(['first']);
    const ticket = await agent.getTicket('B-1');
    expect(ticket?.transcript.map((entry) => entry.text)).toContain('my internet is down');
    const degraded = (await agent.inspect('B-1')).events.find((event) => event.type === 'turn.degraded');
    expect((degraded?.data as { message: string }).message).toMatch(/budget/);
  });

  it('L2 llmBudgetMs must be a positive number or Infinity', () => {
    for (const llmBudgetMs of [0, -1, Number.NaN]) expect(() => hangingChain(llmBudgetMs)).toThrow(ConfigurationError);
    expect(() => hangingChain(Number.POSITIVE_INFINITY)).not.toThrow();
  });
});
