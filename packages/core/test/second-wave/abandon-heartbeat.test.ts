import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * Found by the chaos suite (a procedure abandoned with `onAbandon: 'compensate'` taken over
 * from a live worker): the claim committed before undoing a left procedure's steps was not
 * renewed while the undo ran, so a slow compensation looked abandoned to other workers.
 */
describe('E4 E6 a slow compensation of an abandoned procedure keeps its claim', () => {
  it('E4 E6 another worker sweeping meanwhile leaves it alone: the step is undone once', async () => {
    const undos: string[] = [];
    let attempts = 0;
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'What is your phone number?' });
    const fixed = defineSlot({ name: 'fixed', schema: z.enum(['yes', 'no']), question: 'Does it work now?' });
    const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
    const billing = defineIntent({ name: 'billing', label: 'a question about your bill' });
    const enableRoaming = defineTool({
      name: 'enable_roaming',
      input: z.object({ phone: z.string() }),
      output: z.object({ done: z.boolean() }),
      timeoutMs: 200,
      run: () => ({ done: true }),
      // Two failed attempts of 180 ms each before it succeeds: with the backoff, longer than the lease.
      compensate: async (_input, _output, context) => {
        await new Promise((resolve) => setTimeout(resolve, 180));
        attempts += 1;
        if (attempts < 3) throw new Error('the network is slow today');
        undos.push(context.idempotencyKey);
      },
    });
    const procedure = defineWorkflow({
      name: 'mobile_data_path',
      intent: noData,
      required: [phone],
      asks: [fixed],
      tools: [enableRoaming],
      onAbandon: 'compensate',
      run: async (ctx) => {
        await ctx.call(enableRoaming, { phone: ctx.slots.phone });
        return (await ctx.ask(fixed)) === 'yes' ? { status: 'resolved', reply: 'Great.' } : { status: 'escalated', reply: 'A technician will call.' };
      },
    });
    const explain = defineWorkflow({ name: 'explain_bill', intent: billing, required: [], run: () => ({ status: 'resolved', reply: 'Here is your bill.' }) });
    const data = new MemoryStoreData();
    const worker = (instanceId: string, llm = new MockLLM()) => ({
      llm,
      agent: createAgent({
        store: new MemoryTicketStore({ data }),
        llm,
        intents: [noData, billing],
        workflows: [procedure, explain],
        leaseMs: 500,
        instanceId,
      }),
    });
    const owner = worker('owner');
    const other = worker('other');
    owner.llm.enqueue({ intent: 'no_data', confidence: 0.9, entities: { phone: '555' } });
    expect((await owner.agent.handle({ ticketId: 'AH-1', message: 'no data on 555' })).action).toMatchObject({ type: 'ask', slot: 'fixed' });
    owner.llm.enqueue({ intent: 'billing', confidence: 0.95, entities: {} });
    const switched = owner.agent.handle({ ticketId: 'AH-1', message: 'forget it, explain my bill' });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the undo is running
    const sweeps = await Promise.all([other.agent.recover(), new Promise((resolve) => setTimeout(resolve, 600)).then(() => other.agent.recover())]);
    expect((await switched).action).toMatchObject({ type: 'execute', workflow: 'explain_bill', outcome: 'resolved' });
    expect(sweeps.map((sweep) => sweep.recovered)).toEqual([0, 0]);
    expect(undos).toHaveLength(1);
    const { events } = await owner.agent.inspect('AH-1');
    expect(events.some((event) => event.type === 'execution.recovery_started')).toBe(false);
  });
});
