import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import '../support/fast-check-seed.js';
import { watchUnhandledRejections } from '../support/unhandled-rejections.js';

/**
 * T5 L2 (property): the app's callbacks the engine runs inside a turn — slot schemas (a
 * refinement), `infer.derive`, `format`, a workflow's `when`, `requiresApproval`, `redact`,
 * `now`, the logger and hook listeners — may each answer well, throw, return a value of the
 * wrong type, or return a promise that resolves or rejects. Whatever each does, `handle`
 * resolves with an action on every turn, the ticket stays readable, no rejection goes
 * unhandled, and the tool never runs without a person unless `requiresApproval` answered a
 * plain falsy value. The class the callback audit found (a throwing schema threw out of
 * `handle`, async predicates failed open, rejected promises went unhandled) as one property.
 */
type Behaviour = 'good' | 'throws' | 'wrong-type' | 'resolves' | 'rejects';
const behaviour = fc.constantFrom<Behaviour>('good', 'throws', 'wrong-type', 'resolves', 'rejects');

/** A callback that answers `good()` or misbehaves as told. */
function acting<T>(how: Behaviour, good: () => T, wrong: unknown): () => T {
  return () => {
    switch (how) {
      case 'good':
        return good();
      case 'throws':
        throw new TypeError('an app bug');
      case 'wrong-type':
        return wrong as T;
      case 'resolves':
        return Promise.resolve(good()) as unknown as T;
      case 'rejects':
        return Promise.reject(new Error('an app service is down')) as unknown as T;
    }
  };
}

const callbacks = fc.record({
  // Not 'rejects': zod drops a refinement's promise when it throws $ZodAsyncError, so its
  // rejection is out of the engine's reach (an `async` refinement is refused at defineSlot).
  refine: fc.constantFrom<Behaviour>('good', 'throws', 'wrong-type', 'resolves'),
  derive: behaviour,
  format: behaviour,
  when: behaviour,
  approval: behaviour,
  redact: behaviour,
  now: behaviour,
  logger: behaviour,
  hook: behaviour,
});

function misbehavingWorld(how: Record<string, Behaviour>, ran: string[]) {
  const postcode = defineSlot({ name: 'postcode', schema: z.string(), question: 'Your postcode?' });
  const region = defineSlot({
    name: 'region',
    schema: z.string().refine(acting(how.refine!, () => true, 'yes') as unknown as (value: string) => boolean),
    question: 'Which city are you in?',
    infer: { from: ['postcode'], derive: acting(how.derive!, () => 'Berlin', 42) },
    format: acting(how.format!, () => 'the city of Berlin', { city: 'Berlin' }) as unknown as (value: string) => string,
  });
  const intent = defineIntent({ name: 'refund', description: 'The customer wants money back' });
  const refund = defineTool({
    name: 'refund',
    input: z.object({ region: z.string() }),
    output: z.object({ ok: z.boolean() }),
    run: async (input) => (ran.push(input.region), { ok: true }),
    requiresApproval: acting(how.approval!, () => false, 'no'),
  });
  const special = defineWorkflow({
    name: 'special_refund',
    intent,
    required: [postcode],
    when: acting(how.when!, () => false, 'yes') as unknown as () => boolean,
    run: async () => ({ status: 'resolved', reply: 'Special.' }),
  });
  const normal = defineWorkflow({
    name: 'refund',
    intent,
    required: [postcode, region],
    confirm: true,
    tools: [refund],
    run: async (ctx) => (await ctx.call(refund, { region: ctx.slots.region }), { status: 'resolved', reply: 'Refunded.' }),
  });
  const logMethod = acting(how.logger!, () => undefined, 0);
  const llm = new MockLLM({
    rules: [
      { match: /refund/, intent: 'refund', confidence: 0.9, entities: { postcode: '10115' } },
      { match: /Berlin/, confidence: 0.9, entities: { region: 'Berlin' } },
      { match: /yes/, confidence: 0.9, entities: { confirm: true } },
    ],
  });
  const agent = createAgent({
    store: new MemoryTicketStore(),
    llm,
    intents: [intent],
    workflows: [special, normal],
    redact: acting(how.redact!, () => 'redacted', 7) as unknown as (text: string) => string,
    now: acting(how.now!, () => Date.now(), 'now'),
    logger: { warn: logMethod, error: logMethod },
  });
  agent.on(
    'decision',
    acting(how.hook!, () => undefined, 1),
  );
  agent.on(
    'turn.completed',
    acting(how.hook!, () => undefined, 1),
  );
  return agent;
}

describe('app callbacks that misbehave in every way', () => {
  it('T5 L2 every turn resolves with an action, the ticket stays readable, no rejection goes unhandled, approval fails closed', async () => {
    const unhandled = watchUnhandledRejections();
    try {
      await fc.assert(
        fc.asyncProperty(callbacks, async (how) => {
          unhandled.reasons.length = 0;
          const ran: string[] = [];
          const agent = misbehavingWorld(how, ran);
          for (const [index, message] of ['refund please', 'I am in Berlin', 'yes'].entries()) {
            const result = await agent.handle({ ticketId: 'T-1', message, messageId: `m-${index}` });
            expect(typeof result.action.type).toBe('string');
          }
          const ticket = await agent.getTicket('T-1');
          expect(ticket?.transcript.length).toBeGreaterThanOrEqual(6);
          if (how.approval !== 'good') expect(ran).toEqual([]);
          await unhandled.settle(5);
          expect(unhandled.reasons.map((reason) => String(reason))).toEqual([]);
        }),
        { numRuns: 60 },
      );
    } finally {
      unhandled.stop();
    }
  });
});
