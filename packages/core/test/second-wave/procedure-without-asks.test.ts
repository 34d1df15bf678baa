import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

describe('a procedure that asks an optional slot without declaring asks (E6, E1)', () => {
  it('E6 E1 a value given while it waits does not break the replay of its journal', async () => {
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Phone?' });
    const device = defineSlot({ name: 'device', schema: z.string(), question: 'Device?' });
    const note = defineSlot({ name: 'note', schema: z.string(), question: 'Anything else?' });
    const intent = defineIntent({ name: 'no_data' });
    const diag = defineTool({
      name: 'diag',
      input: z.object({ line: z.string(), device: z.string().nullable() }),
      output: z.object({ ok: z.boolean() }),
      run: () => ({ ok: true }),
    });
    const workflow = defineWorkflow({
      name: 'wf',
      intent,
      required: [phone],
      optional: [device, note],
      tools: [diag],
      run: async (ctx) => {
        await ctx.call(diag, { line: ctx.slots.phone, device: ctx.slots.device ?? null });
        const n = await ctx.ask(note);
        return { status: 'resolved', reply: `noted ${String(n)}` };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    const say = (message: string, entities: Record<string, unknown>) => {
      llm.enqueue({ intent: 'no_data', confidence: 0.9, entities });
      return agent.handle({ ticketId: 'NA-1', message });
    };
    expect((await say('no data 5551234', { phone: '5551234' })).action).toMatchObject({ type: 'ask', slot: 'note' });
    const done = await say('on my iphone; nothing else', { device: 'iphone', note: 'none' });
    expect(done.action).toEqual({ type: 'execute', workflow: 'wf', outcome: 'resolved' });
  });
});
