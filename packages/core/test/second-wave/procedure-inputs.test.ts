import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore, replayTicket } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

function setup(workflowOf: (s: any) => any, extra: Record<string, unknown> = {}) {
  const llm = new MockLLM();
  const store = new MemoryTicketStore();
  const intent = defineIntent({ name: 'no_data', label: 'data' });
  const workflow = workflowOf(intent);
  const options = { intents: [intent], workflows: [workflow], ...extra };
  const agent = createAgent({ store, llm, ...options } as any);
  const say = (message: string, entities: Record<string, unknown>) => {
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities });
    return agent.handle({ ticketId: 'R-1', message });
  };
  return { agent, store, say, options };
}

describe('the values a procedure started with, and its answers (E6, E1, P1)', () => {
  it('E6 ctx.ask of a deferred optional slot returns the answer', async () => {
    const seen: unknown[] = [];
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Phone?' });
    const device = defineSlot({ name: 'device', schema: z.string(), question: 'Which device?' });
    const bar = defineSlot({ name: 'bar', schema: z.string(), question: 'Status bar?' });
    const w = setup((intent) =>
      defineWorkflow({
        name: 'wf',
        intent,
        required: [phone],
        optional: [device],
        asks: [bar],
        run: async (ctx) => {
          const d = await ctx.ask(device);
          seen.push(d);
          return { status: 'resolved', reply: `device ${String(d)}` };
        },
      }),
    );
    expect((await w.say('no data 5551234', { phone: '5551234' })).action).toMatchObject({ type: 'ask', slot: 'device' });
    const done = await w.say('iphone', { device: 'iphone' });
    expect(seen).toEqual(['iphone']);
    expect(done.reply).toBe('device iphone');
  });

  it('E6 ctx.ask(required, { fresh: true }) returns the new answer', async () => {
    const seen: unknown[] = [];
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Phone?' });
    const bar = defineSlot({ name: 'bar', schema: z.string(), question: 'Status bar?' });
    const w = setup((intent) =>
      defineWorkflow({
        name: 'wf',
        intent,
        required: [phone],
        asks: [bar],
        run: async (ctx) => {
          const again = await ctx.ask(phone, { fresh: true, question: 'Please confirm your phone number' });
          seen.push({ first: ctx.slots.phone, again });
          return { status: 'resolved', reply: `phone ${String(again)}` };
        },
      }),
    );
    await w.say('no data 5551234', { phone: '5551234' });
    const done = await w.say('5559999', { phone: '5559999' });
    expect(seen).toEqual([{ first: '5551234', again: '5559999' }]);
    expect(done.reply).toBe('phone 5559999');
    const report = await replayTicket({ store: w.store, ticketId: 'R-1', ...(w.options as any) });
    expect(report.diverged).toBe(false);
  });

  it('P1 a sensitive optional value changed while the procedure waits never reaches the journal in clear', async () => {
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Phone?' });
    const iban = defineSlot({ name: 'iban', schema: z.string().min(8), sensitive: true, question: 'IBAN?' });
    const bar = defineSlot({ name: 'bar', schema: z.string(), question: 'Status bar?' });
    const tool = defineTool({
      name: 'refund',
      input: z.object({ iban: z.string().optional() }),
      output: z.object({ ok: z.boolean() }),
      run: () => ({ ok: true }),
    });
    const w = setup(
      (intent) =>
        defineWorkflow({
          name: 'wf',
          intent,
          required: [phone],
          optional: [iban],
          asks: [bar],
          tools: [tool],
          run: async (ctx) => {
            await ctx.ask(bar);
            await ctx.call(tool, { iban: ctx.slots.iban });
            return { status: 'resolved', reply: 'done' };
          },
        }),
      { encryptionKey: randomBytes(32).toString('base64') },
    );
    await w.say('no data 5551234 iban DE11112222333344', { phone: '5551234', iban: 'DE11112222333344' });
    await w.say('actually my iban is DE99998888777766', { iban: 'DE99998888777766' });
    await w.say('no service', { bar: 'no_service' });
    const { ticket, events } = await w.agent.inspect('R-1');
    const text = JSON.stringify({ ticket, events });
    expect(text).not.toContain('DE11112222333344');
    expect(text).not.toContain('DE99998888777766');
  });

  it('P1 a numeric sensitive value in a tool error field is not journaled in clear', async () => {
    const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'Phone?' });
    const account = defineSlot({ name: 'account', schema: z.number().int(), sensitive: true, question: 'Account number?' });
    const tool = defineTool({
      name: 'lookup',
      input: z.object({ account: z.number() }),
      output: z.object({ ok: z.boolean() }),
      run: (input) => {
        throw Object.assign(new Error('account rejected'), { account: input.account });
      },
    });
    const w = setup(
      (intent) =>
        defineWorkflow({
          name: 'wf',
          intent,
          required: [phone, account],
          tools: [tool],
          run: async (ctx) => {
            try {
              await ctx.call(tool, { account: ctx.slots.account });
            } catch {
              /* caught */
            }
            return { status: 'resolved', reply: 'done' };
          },
        }),
      { encryptionKey: randomBytes(32).toString('base64') },
    );
    await w.say('no data 5551234 acct 87654321', { phone: '5551234', account: 87654321 });
    const { ticket, events } = await w.agent.inspect('R-1');
    void ticket;
    void events;
    expect(JSON.stringify(await w.store.events('R-1'))).not.toContain('87654321');
  });
});
