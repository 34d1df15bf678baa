import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import type { CommitRequest } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { storeWithCommit } from '../support/store-with-commit.js';
import { createRecordingBackend } from '../support/test-domain.js';

/**
 * A procedure whose resumed run fails before it writes anything (it throws on the answer),
 * kept on abandonment. Found by the reliability suite: the failing resume undid the kept step
 * while its claim was only staged, and then lost its commit to a turn that abandoned the
 * procedure with `keep` — an undo by a turn that never happened.
 */
function keptProcedure() {
  const backend = createRecordingBackend();
  const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'What is your phone number?' });
  const carrier = defineSlot({ name: 'carrier', schema: z.enum(['alpha', 'beta']), question: 'Which carrier is it with?' });
  const port = defineIntent({ name: 'port_number', label: 'move a number here' });
  const billing = defineIntent({ name: 'billing', label: 'a question about the bill' });
  const openCase = defineTool({
    name: 'open_case',
    input: z.object({ phone: z.string() }),
    output: z.object({ caseId: z.string() }),
    run: (input, context) => backend.run('open_case', context.idempotencyKey, input, () => ({ caseId: `C-${input.phone}` })),
    compensate: (_input, _output, context) => backend.undo('open_case', context.idempotencyKey),
  });
  const portIn = defineWorkflow({
    name: 'port_in',
    intent: port,
    required: [phone],
    asks: [carrier],
    tools: [openCase],
    onAbandon: 'keep',
    run: async (ctx) => {
      await ctx.call(openCase, { phone: ctx.slots.phone });
      const from = await ctx.ask(carrier);
      if (from === 'beta') throw new Error('beta numbers cannot be moved yet');
      return { status: 'resolved', reply: 'Your number is on its way.' };
    },
  });
  const explain = defineWorkflow({ name: 'explain_bill', intent: billing, required: [], run: () => ({ status: 'resolved', reply: 'Here is your bill.' }) });
  return { backend, intents: [port, billing], workflows: [portIn, explain] };
}

describe('a resumed procedure that fails before its claim lands (E4, E6)', () => {
  it('E4 E6 undoes nothing until its claim is committed: a turn that abandoned the procedure with keep first keeps its steps', async () => {
    const domain = keptProcedure();
    const data = new MemoryStoreData();
    const llmA = new MockLLM();
    const llmB = new MockLLM();
    const agentB = createAgent({ store: new MemoryTicketStore({ data }), llm: llmB, intents: domain.intents, workflows: domain.workflows });
    const inner = new MemoryTicketStore({ data });
    let raced = false;
    const store = storeWithCommit(inner, 'racing', async (request: CommitRequest) => {
      // Agent A's first write of the resumed turn: agent B's turn commits just before it.
      if (!raced && request.events.some((event) => event.type === 'execution.resumed')) {
        raced = true;
        llmB.enqueue({ intent: 'billing', confidence: 0.9, entities: {} });
        await agentB.handle({ ticketId: 'R-1', message: 'actually, about my bill' });
      }
      return inner.commit(request);
    });
    const agentA = createAgent({ store, llm: llmA, intents: domain.intents, workflows: domain.workflows });

    llmA.enqueue({ intent: 'port_number', confidence: 0.9, entities: { phone: '555' } });
    expect((await agentA.handle({ ticketId: 'R-1', message: 'move 555 here' })).action).toMatchObject({ type: 'ask', slot: 'carrier' });
    for (let attempt = 0; attempt < 3; attempt += 1) llmA.enqueue({ intent: null, confidence: 0, entities: { carrier: 'beta' } });
    await agentA.handle({ ticketId: 'R-1', message: 'it is with beta' });

    expect(raced).toBe(true);
    const { events } = await agentA.inspect('R-1');
    expect(events.find((event) => event.type === 'execution.abandoned')?.data).toMatchObject({ workflow: 'port_in', policy: 'keep', compensated: false });
    expect(domain.backend.undos).toEqual([]);
    expect([...domain.backend.effects.values()].map((effect) => [effect.tool, effect.undone])).toEqual([['open_case', false]]);
  });
});
