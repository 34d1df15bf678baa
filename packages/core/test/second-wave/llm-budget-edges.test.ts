import { describe, expect, it } from 'vitest';
import { type AgentInstrumentation, createAgent, type LLM, LLMError, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { createTestDomain } from '../support/test-domain.js';

/**
 * L2 O1: the turn's LLM budget at its edges (found by reviewing the budget): it bounds backoffs
 * and hints too, a cut is not charged to the provider's circuit, no attempt is recorded for a
 * request never sent, and the events name the provider asked last and the budget.
 */
const valid = JSON.stringify({ intent: 'no_internet', confidence: 0.9, entities: {} });

function agentWith(llm: LLM | LLM[], options: Record<string, unknown>) {
  const domain = createTestDomain();
  return createAgent({
    store: new MemoryTicketStore(),
    llm,
    intents: domain.intents,
    workflows: domain.workflows,
    slots: domain.extraSlots,
    ...options,
  });
}

describe('llmBudgetMs at its edges (review)', () => {
  it('L2 a backoff never outlasts the budget: a 300 ms budget with 1.5–2 s backoffs ends within it', async () => {
    const llm = new MockLLM({ name: 'flaky', respond: () => ({ error: 'unavailable' }) });
    const agent = agentWith(llm, { llmBudgetMs: 300, llmRetry: { retries: 2, minDelayMs: 1_500, maxDelayMs: 2_000 } });
    const started = performance.now();
    const result = await agent.handle({ ticketId: 'F1', message: 'my internet is down' });
    const tookMs = performance.now() - started;
    expect(result.action).toEqual({ type: 'fallback', reason: expect.any(String) });
    expect(tookMs, 'the decision must stay within the 300 ms budget (+ slack)').toBeLessThan(900);
  });

  it('L2 a Retry-After hint plus backoff never outlasts the budget', async () => {
    const llm = new MockLLM({ name: 'limited', respond: () => ({ error: 'rate_limited', retryAfterMs: 100 }) });
    const agent = agentWith(llm, { llmBudgetMs: 300, llmRetry: { retries: 1, minDelayMs: 1_000, maxDelayMs: 1_000 } });
    const started = performance.now();
    await agent.handle({ ticketId: 'F1b', message: 'my internet is down' });
    const tookMs = performance.now() - started;
    expect(tookMs, 'hint 100 + backoff 1000 ms against a 300 ms budget').toBeLessThan(900);
  });

  it('O1 no attempt is recorded (event, span, llmCalls) for a retry the budget stopped before any request', async () => {
    const llm = new MockLLM({ name: 'flaky', respond: () => ({ error: 'unavailable' }) });
    const spans: string[] = [];
    const instrumentation: AgentInstrumentation = {
      operationStarted: () => ({
        llmAttempt: (start) => {
          spans.push(`${start.provider}#${start.attempt}`);
          return { ended: () => undefined };
        },
        ended: () => undefined,
      }),
    };
    const agent = agentWith(llm, { llmBudgetMs: 100, llmRetry: { retries: 1, minDelayMs: 300, maxDelayMs: 300 } });
    agent.instrument(instrumentation);
    await agent.handle({ ticketId: 'F2', message: 'my internet is down' });
    const failed = (await agent.inspect('F2')).events.filter((event) => event.type === 'llm.failed');
    const ticket = await agent.getTicket('F2');
    expect(llm.callCount).toBe(1);
    expect({ failedEvents: failed.length, spans: spans.length, llmCalls: ticket?.usage.llmCalls }).toEqual({ failedEvents: 1, spans: 1, llmCalls: 1 });
  });

  it("L2 a cut by the budget is not the provider's failure: a healthy provider answering in 200 ms never has its circuit opened", async () => {
    const llm = new MockLLM({ name: 'slow-but-fine', respond: () => ({ delayMs: 200, then: valid }) });
    const agent = agentWith(llm, { llmBudgetMs: 50, llmTimeoutMs: 30_000, circuitBreaker: { failureThreshold: 3 } });
    for (let turn = 1; turn <= 3; turn += 1) await agent.handle({ ticketId: `F3-${turn}`, message: 'my internet is down' });
    const opened = (await agent.inspect('F3-3')).events.filter((event) => event.type === 'llm.circuit_opened');
    expect(opened, 'the provider never failed within its own llmTimeoutMs; only the turn budget cut it').toEqual([]);
  });

  it('L2 in a chain, a healthy second provider cut by the budget the first one spent keeps its circuit closed', async () => {
    const first = new MockLLM({ name: 'first', respond: () => ({ delayMs: 150, then: { error: 'unavailable' } }) });
    const second = new MockLLM({ name: 'second', respond: () => ({ delayMs: 100, then: valid }) });
    const agent = agentWith([first, second], {
      llmBudgetMs: 200,
      llmTimeoutMs: 30_000,
      llmRetry: { retries: 0 },
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    for (let turn = 1; turn <= 2; turn += 1) await agent.handle({ ticketId: `F3b-${turn}`, message: 'my internet is down' });
    const opened = (await agent.inspect('F3b-2')).events
      .filter((event) => event.type === 'llm.circuit_opened')
      .map((event) => (event.data as { provider: string }).provider);
    expect(opened).not.toContain('second');
  });

  it('L2 a re-ask cut by the budget counts once against the provider (its invalid answer), not twice', async () => {
    const llm = new MockLLM({ name: 'p', responses: ['not json', { delayMs: 500, then: valid }] });
    const agent = agentWith(llm, { llmBudgetMs: 150, circuitBreaker: { failureThreshold: 2 } });
    await agent.handle({ ticketId: 'F3c', message: 'my internet is down' });
    const opened = (await agent.inspect('F3c')).events.filter((event) => event.type === 'llm.circuit_opened');
    expect(opened, 'one bad answer in one turn must not reach a threshold of 2').toEqual([]);
  });

  it('O1 turn.degraded names the provider asked last, never one that was not asked', async () => {
    const first = new MockLLM({ name: 'first', respond: () => ({ delayMs: 10_000, then: valid }) });
    const second = new MockLLM({ name: 'second', respond: () => valid });
    const agent = agentWith([first, second], { llmBudgetMs: 200 });
    await agent.handle({ ticketId: 'F4', message: 'my internet is down' });
    const events = (await agent.inspect('F4')).events;
    const degraded = events.find((event) => event.type === 'turn.degraded')?.data as { provider: string; message: string };
    expect(second.callCount).toBe(0);
    expect(degraded.provider, `degraded: ${JSON.stringify(degraded)}`).toBe('first');
  });

  it('L2 an adapter whose timeout at the budget fires a moment early (timers run on the loop clock) ends the decision: the next provider is not asked', async () => {
    // Fires its own timeout about a millisecond before the budget's end, as a libuv timer may.
    const early: LLM = {
      name: 'early',
      generate: async (_prompt, options) => {
        const until = performance.now() + (options?.timeoutMs ?? 0) - 1;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, (options?.timeoutMs ?? 0) - 3)));
        while (performance.now() < until) {
          // wait out the rest on the high-resolution clock
        }
        throw new LLMError({ kind: 'timeout', provider: 'early', retryable: false, message: 'no answer in time' });
      },
    };
    const second = new MockLLM({ name: 'second', respond: () => valid });
    const agent = agentWith([early, second], { llmBudgetMs: 150 });
    await agent.handle({ ticketId: 'F4b', message: 'my internet is down' });
    const degraded = (await agent.inspect('F4b')).events.find((event) => event.type === 'turn.degraded')?.data as { provider: string; message: string };
    expect(second.callCount).toBe(0);
    expect(degraded).toMatchObject({ provider: 'early', message: expect.stringMatching(/budget/) });
  });

  it("O1 turn.degraded says the turn's LLM budget ran out when a cut ended the decision", async () => {
    const llm = new MockLLM({ name: 'only', respond: () => ({ delayMs: 10_000, then: valid }) });
    const agent = agentWith(llm, { llmBudgetMs: 200, llmTimeoutMs: 30_000 });
    await agent.handle({ ticketId: 'F5', message: 'my internet is down' });
    const degraded = (await agent.inspect('F5')).events.find((event) => event.type === 'turn.degraded')?.data as { message: string };
    expect(degraded.message).toMatch(/budget/);
  });

  it("L2 with the default retry policy a hanging provider's cut request is not retried past the budget (20 turns, one attempt each)", async () => {
    const llm = new MockLLM({ name: 'only', respond: () => ({ delayMs: 60_000, then: valid }) });
    const agent = agentWith(llm, { llmBudgetMs: 100, llmTimeoutMs: 30_000, circuitBreaker: { failureThreshold: 1_000 } });
    const bad: string[] = [];
    for (let turn = 1; turn <= 20; turn += 1) {
      const started = performance.now();
      await agent.handle({ ticketId: `F6-${turn}`, message: 'my internet is down' });
      const tookMs = performance.now() - started;
      const degraded = (await agent.inspect(`F6-${turn}`)).events.find((event) => event.type === 'turn.degraded')?.data as { attempts: number };
      if (degraded.attempts !== 1 || tookMs > 1_000) bad.push(`turn ${turn}: ${degraded.attempts} attempts, ${Math.round(tookMs)} ms`);
    }
    expect({ calls: llm.callCount, bad }).toEqual({ calls: 20, bad: [] });
  });

  it('L2 an Infinity budget keeps the per-request timeout and retries', async () => {
    const llm = new MockLLM({ name: 'only', respond: () => ({ delayMs: 10_000, then: valid }) });
    const agent = agentWith(llm, { llmBudgetMs: Number.POSITIVE_INFINITY, llmTimeoutMs: 100, llmRetry: { retries: 1, minDelayMs: 10, maxDelayMs: 10 } });
    const started = performance.now();
    const result = await agent.handle({ ticketId: 'H1', message: 'my internet is down' });
    expect(result.action).toEqual({ type: 'fallback', reason: 'timeout' });
    expect(llm.callCount).toBe(2);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
