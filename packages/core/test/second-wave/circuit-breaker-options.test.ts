import { describe, expect, it } from 'vitest';
import { ConfigurationError, createAgent, defineIntent, defineWorkflow, LLMError, MemoryTicketStore } from '@ticketflow/core';

/**
 * L2: a circuit reopens at a time a Date must hold (it is recorded in `llm.circuit_opened`), so
 * `cooldownMs` and `maxHintMs` are bounded (30 days); a larger value is a configuration error,
 * not a RangeError out of `handle` on the first failure.
 */
const intent = defineIntent({ name: 'sync' });
const workflow = defineWorkflow({ name: 'sync', intent: 'sync', run: async () => ({ status: 'resolved', reply: 'ok' }) });

function agentWith(circuitBreaker: Record<string, number>, retryAfterMs?: number) {
  return createAgent({
    store: new MemoryTicketStore(),
    intents: [intent],
    workflows: [workflow],
    llmRetry: { retries: 0 },
    circuitBreaker,
    llm: {
      name: 'app',
      generate: async () => {
        throw new LLMError({ kind: 'rate_limited', provider: 'app', message: 'slow down', ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
      },
    },
  });
}

describe('circuit breaker options past the range of a Date', () => {
  for (const [name, options, hint] of [
    ['cooldownMs: 1e16', { failureThreshold: 1, cooldownMs: 1e16 }, undefined],
    ['maxHintMs: 1e16 with Retry-After of 1e16 ms', { maxHintMs: 1e16 }, 1e16],
  ] as const) {
    it(`L2 ${name}: refused by createAgent with a ConfigurationError (never a RangeError out of handle)`, () => {
      expect(() => agentWith(options, hint)).toThrow(ConfigurationError);
    });
  }
});
