import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgent, LLMError, MemoryTicketStore } from '@ticketflow/core';
import '../support/fast-check-seed.js';
import { createTestDomain } from '../support/test-domain.js';

/**
 * L1 L2 T4 (property): whatever metadata an adapter hands back with an answer — token counts,
 * model names and finish reasons of any type and content (NUL, lone surrogates, huge numbers,
 * objects) — and whatever it throws, `handle` resolves, the ticket is stored, and its usage
 * stays non-negative finite numbers. The class the LLM audit found (NaN usage, NUL model names,
 * huge Retry-After hints) as one property.
 */
const label = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant('gem\u0000ini'), fc.constant('\uD800'), fc.anything());
const count = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN), fc.constant(Number.POSITIVE_INFINITY), fc.string(), fc.anything());
const answer = fc.record(
  {
    text: fc.constant(JSON.stringify({ intent: 'no_internet', confidence: 0.9, entities: {} })),
    model: label,
    latencyMs: fc.oneof(fc.double(), fc.anything()),
    finishReason: fc.oneof(fc.constant('stop'), label),
    usage: fc.oneof(fc.record({ inputTokens: count, outputTokens: count }), fc.anything()),
  },
  { requiredKeys: ['text'] },
);
const failure = fc.record({
  kind: fc.constantFrom('rate_limited', 'quota_exhausted', 'unavailable', 'timeout'),
  retryAfterMs: fc.oneof(fc.integer({ min: -1, max: 10 }), fc.constant(1e13), fc.constant(Number.NaN), fc.double({ min: 1e9, max: 1e300 })),
});

describe('answers and failures of any shape from an adapter', () => {
  it('L1 L2 T4 handle resolves, the ticket is stored, usage stays numeric', async () => {
    const domain = createTestDomain();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            answer.map((value) => ({ value })),
            failure.map((error) => ({ error })),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (replies) => {
          let next = 0;
          const agent = createAgent({
            store: new MemoryTicketStore(),
            intents: domain.intents,
            workflows: domain.workflows,
            slots: domain.extraSlots,
            llmRetry: { retries: 0 },
            llm: {
              name: 'app',
              generate: async () => {
                const reply = replies[next++ % replies.length]!;
                if ('error' in reply) throw new LLMError({ provider: 'app', message: 'refused', ...reply.error });
                return reply.value as never;
              },
            },
          });
          for (let turn = 0; turn < replies.length; turn += 1) await agent.handle({ ticketId: 'P-1', message: `turn ${turn}` });
          const ticket = await agent.getTicket('P-1');
          expect(ticket?.transcript.filter((entry) => entry.role === 'user')).toHaveLength(replies.length);
          for (const value of Object.values(ticket!.usage)) expect(Number.isFinite(value) && value >= 0).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
