import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore, replayTicket } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * E6 E2a E1 property (the class the procedure audits found): whatever a customer sends while a
 * procedure waits — answers, corrected phone numbers, a corrected earlier answer, an optional
 * value, a thanks — in any order, no turn fails as nondeterministic, the roaming that stands at
 * the end is for the latest phone number or for one a run completed with (a correction of an
 * unfinished run never adds up, whatever `onAbandon` says; completed runs of a workflow without
 * `confirm` do, by E2a), and the recorded ticket replays without divergence.
 */
type Say =
  | { kind: 'answer_bar'; bar: 'no_service' | 'bars' }
  | { kind: 'answer_fix'; fix: 'works' | 'broken' }
  | { kind: 'correct_phone'; phone: string }
  | { kind: 'add_device'; device: string }
  | { kind: 'thanks' };

const says: fc.Arbitrary<Say> = fc.oneof(
  fc.record({ kind: fc.constant('answer_bar' as const), bar: fc.constantFrom('no_service' as const, 'bars' as const) }),
  fc.record({ kind: fc.constant('answer_fix' as const), fix: fc.constantFrom('works' as const, 'broken' as const) }),
  fc.record({ kind: fc.constant('correct_phone' as const), phone: fc.constantFrom('555', '777', '999') }),
  fc.record({ kind: fc.constant('add_device' as const), device: fc.constantFrom('pixel', 'iphone') }),
  fc.record({ kind: fc.constant('thanks' as const) }),
);

function procedureWorld(onAbandon: 'keep' | 'compensate') {
  const live = new Map<string, string>(); // idempotency key -> line with roaming enabled
  const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Your phone number?' });
  const device = defineSlot({ name: 'device', schema: z.string(), question: 'Which phone?' });
  const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
  const afterFix = defineSlot({ name: 'after_fix', schema: z.enum(['works', 'broken']), question: 'Does it work now?' });
  const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
  const roaming = defineTool({
    name: 'enable_roaming',
    input: z.object({ line: z.string(), device: z.string() }),
    output: z.object({}),
    run: (input, context) => (live.set(context.idempotencyKey, input.line), {}),
    compensate: (_input, _output, context) => void live.delete(context.idempotencyKey),
  });
  const workflow = defineWorkflow({
    name: 'mobile_data_path',
    intent: noData,
    required: [phone],
    optional: [device],
    asks: [statusBar, afterFix],
    tools: [roaming],
    onAbandon,
    run: async (ctx) => {
      const bar = await ctx.ask(statusBar);
      if (bar === 'no_service') await ctx.call(roaming, { line: ctx.slots.phone, device: ctx.slots.device ?? 'unknown' });
      const fixed = await ctx.ask(afterFix);
      return fixed === 'works' ? { status: 'resolved', reply: 'Data works again.' } : { status: 'escalated', reply: 'A technician will call.' };
    },
  });
  const llm = new MockLLM();
  const store = new MemoryTicketStore();
  const definitions = { intents: [noData], workflows: [workflow] };
  const agent = createAgent({ store, llm, ...definitions });
  return { agent, llm, store, definitions, live };
}

function decisionOf(say: Say) {
  switch (say.kind) {
    case 'answer_bar':
      return { intent: null, confidence: 0.1, entities: { status_bar: say.bar } };
    case 'answer_fix':
      return { intent: null, confidence: 0.1, entities: { after_fix: say.fix } };
    case 'correct_phone':
      return { intent: 'no_data', confidence: 0.9, entities: { phone: say.phone } };
    case 'add_device':
      return { intent: null, confidence: 0.1, entities: { device: say.device } };
    default:
      return { intent: null, confidence: 0.1, entities: {} };
  }
}

describe('procedures under any sequence of answers and corrections (E6, E2a, E1)', () => {
  for (const onAbandon of ['compensate', 'keep'] as const) {
    it(`E6 E2a E1 property (onAbandon ${onAbandon}): no turn fails as nondeterministic, what a correction left unfinished never keeps roaming, replay agrees`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(says, { minLength: 1, maxLength: 7 }), async (sequence) => {
          const world = procedureWorld(onAbandon);
          world.llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } });
          await world.agent.handle({ ticketId: 'PP-1', message: 'no data on 555' });
          const completedWith = new Set<unknown>();
          for (const [index, say] of sequence.entries()) {
            world.llm.enqueue(decisionOf(say));
            const result = await world.agent.handle({ ticketId: 'PP-1', message: `${say.kind} ${index}` });
            expect(JSON.stringify(result.action)).not.toContain('Nondeterministic');
            expect(result.action).not.toMatchObject({ type: 'execute', outcome: 'failed' });
            if (result.action.type === 'execute') completedWith.add(result.ticket.slots.phone?.value);
          }
          const phone = (await world.agent.getTicket('PP-1'))!.slots.phone!.value;
          for (const line of world.live.values()) expect([phone, ...completedWith]).toContain(line);
          const report = await replayTicket({ store: world.store, ticketId: 'PP-1', ...world.definitions });
          expect(report.turns.filter((turn) => !turn.same).map((turn) => turn.divergences)).toEqual([]);
        }),
        { numRuns: 60 },
      );
    }, 60_000);
  }
});
