import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LLM_ERROR_KINDS } from '@ticketflow/core';
import type { MockAnswer } from '@ticketflow/llm-mock';
import { createHarness, decisionState } from './support/agent-harness.js';

const goodAnswer: fc.Arbitrary<MockAnswer> = fc.record({
  intent: fc.constantFrom('no_internet', 'billing_dispute', null),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  entities: fc.constantFrom(
    {},
    { service_type: 'fiber' },
    { service_type: 'mobile' },
    { region: 'Hamburg' },
    { phone: '030 1234567' },
    { account_type: 'personal', amount: 30 },
    { confirm: true },
    { confirm: false },
  ),
});
const failingTurn: fc.Arbitrary<MockAnswer[]> = fc.oneof(
  fc.constantFrom(...LLM_ERROR_KINDS).map((kind) => [{ error: kind }, { error: kind }, { error: kind }] as MockAnswer[]),
  fc.constant(['not json', '{"broken": true'] as MockAnswer[]),
  fc.constant(['{"intent":"no_internet","confidence":42}', '{"intent":"no_internet","confidence":-1}'] as MockAnswer[]),
  fc.constant([{ hang: true }, { hang: true }, { hang: true }] as MockAnswer[]),
);

describe('agent properties', () => {
  it('L2 T4 a failing LLM never changes decision state, whatever came before', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            goodAnswer.map((answer) => ({ ok: true as const, answers: [answer] })),
            failingTurn.map((answers) => ({ ok: false as const, answers })),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (turns) => {
          const { agent, llm } = createHarness({ llmTimeoutMs: 20 });
          let index = 0;
          for (const turn of turns) {
            index += 1;
            llm.reset();
            llm.enqueue(...turn.answers);
            const before = await agent.getTicket('P');
            const result = await agent.handle({ ticketId: 'P', message: `turn ${index}` });
            if (!turn.ok) {
              expect(result.action.type).toBe('fallback');
              if (before) expect(decisionState(result.ticket)).toEqual(decisionState(before));
              expect(result.ticket.transcript.filter((entry) => entry.role === 'user').at(-1)).toMatchObject({ text: `turn ${index}`, actedOn: false });
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
