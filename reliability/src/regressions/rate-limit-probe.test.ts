import { createAgent, defineIntent, defineSlot, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * Found by the chaos suite (bursts of `fallback` turns, all "circuit open: skipped");
 * fixed in the core (commit 3f6535f), guarded here.
 *
 * `llm/circuit-breaker.ts`: a `rate_limited` failure with a `retryAfterMs` hint set
 * `openUntil = now + hint`; once the hint had passed the state was `half_open`, so the
 * retry that followed was taken as the half-open *probe*, and if it failed (any transient
 * failure) the circuit opened for the full `cooldownMs` (30 s by default): a 429 with a
 * short Retry-After and one 503 — 2 failures, below the threshold of 5 — took the provider
 * out for 30 s, and every turn meanwhile degraded to `fallback` without calling the LLM.
 */
describe('core regression: a rate-limit hint followed by one transient failure', () => {
  it('does not open the circuit for the full cool-down (2 failures < failureThreshold 5)', async () => {
    const region = defineSlot({ name: 'region', schema: z.string().min(2), question: 'Which city?' });
    const noInternet = defineIntent({ name: 'no_internet', description: 'Internet is down' });
    const workflow = defineWorkflow({
      name: 'check',
      intent: noInternet,
      required: [region],
      tools: [],
      run: async () => ({ status: 'resolved', reply: 'ok' }),
    });
    const llm = new MockLLM({ rules: [{ match: /internet/i, intent: 'no_internet', confidence: 0.9 }] });
    llm.failNext('rate_limited', 1, { retryAfterMs: 5 }).failNext('unavailable', 1);
    const agent = createAgent({
      store: new MemoryTicketStore(),
      llm,
      intents: [noInternet],
      workflows: [workflow],
      llmRetry: { retries: 2, minDelayMs: 1, maxDelayMs: 10 },
    });

    const first = await agent.handle({ ticketId: 'T', message: 'my internet is down' });
    const second = await agent.handle({ ticketId: 'T', message: 'my internet is still down' });
    expect(first.action.type).not.toBe('fallback');
    expect(second.action.type).not.toBe('fallback');
  });
});
