import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

describe('erasing a procedure that waits (P3, E6)', () => {
  it('P3 E6 erasing a ticket whose compensate-on-abandon procedure waits undoes its completed calls', async () => {
    const log: string[] = [];
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Phone?' });
    const bar = defineSlot({ name: 'bar', schema: z.string(), question: 'Bar?' });
    const intent = defineIntent({ name: 'credit' });
    const credit = defineTool({
      name: 'credit',
      input: z.object({ line: z.string() }),
      output: z.object({ ok: z.boolean() }),
      run: () => (log.push('+credit'), { ok: true }),
      compensate: () => void log.push('-credit'),
    });
    const workflow = defineWorkflow({
      name: 'wf',
      intent,
      required: [phone],
      asks: [bar],
      tools: [credit],
      onAbandon: 'compensate',
      run: async (ctx) => {
        await ctx.call(credit, { line: ctx.slots.phone });
        await ctx.ask(bar);
        return { status: 'resolved', reply: 'ok' };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    llm.enqueue({ intent: 'credit', confidence: 0.9, entities: { phone: '5551234' } });
    expect((await agent.handle({ ticketId: 'ES-1', message: 'credit 5551234' })).ticket.status).toBe('awaiting_input');
    await agent.erase('ES-1');
    expect(log).toEqual(['+credit', '-credit']);
  });
});

describe('erasing a procedure that waits for an approval (P3, E6)', () => {
  it('P3 E6 erasing a ticket whose procedure waits for an approval undoes the calls it made (onAbandon compensate); the approval is gone', async () => {
    const log: string[] = [];
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Phone?' });
    const intent = defineIntent({ name: 'credit' });
    const lookUp = defineTool({
      name: 'reserve',
      input: z.object({ line: z.string() }),
      output: z.object({}),
      run: () => (log.push('+reserve'), {}),
      compensate: () => void log.push('-reserve'),
    });
    const credit = defineTool({
      name: 'credit',
      input: z.object({ line: z.string() }),
      output: z.object({}),
      requiresApproval: true,
      run: () => (log.push('+credit'), {}),
      compensate: () => void log.push('-credit'),
    });
    const workflow = defineWorkflow({
      name: 'credit_flow',
      intent,
      required: [phone],
      tools: [lookUp, credit],
      onAbandon: 'compensate',
      run: async (ctx) => {
        await ctx.call(lookUp, { line: ctx.slots.phone });
        await ctx.call(credit, { line: ctx.slots.phone });
        return { status: 'resolved', reply: 'ok' };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    llm.enqueue({ intent: 'credit', confidence: 0.9, entities: { phone: '5551234' } });
    expect((await agent.handle({ ticketId: 'EA-1', message: 'credit 5551234' })).ticket.status).toBe('awaiting_approval');
    await agent.erase('EA-1');
    expect(log).toEqual(['+reserve', '-reserve']);
    expect(await agent.getTicket('EA-1')).toBeNull();
  });
});
