import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore, replayTicket } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * What a procedure's answers are on later turns (E6, P1): an answer to `ctx.ask` is returned as
 * the customer gave it on every resume of the run — a sensitive one too, which the journal keeps
 * sealed, never as its mask.
 */
function pinDomain(run: 'late-use' | 'compare') {
  const toolInputs: unknown[] = [];
  const seen: unknown[] = [];
  const phone = defineSlot({ name: 'phone', schema: z.string().min(3), question: 'What is your phone number?' });
  const pin = defineSlot({ name: 'pin', schema: z.string().regex(/^\d{4}$/), sensitive: true, question: 'What is your account PIN?' });
  const statusBar = defineSlot({ name: 'status_bar', schema: z.enum(['no_service', 'bars']), question: 'What does the status bar show?' });
  const noData = defineIntent({ name: 'no_data', label: 'mobile data not working' });
  const verify = defineTool({
    name: 'verify_pin',
    input: z.object({ line: z.string(), pin: z.string() }),
    output: z.object({ ok: z.boolean() }),
    run: (input) => (toolInputs.push(input), { ok: true }),
  });
  const workflow = defineWorkflow({
    name: 'mobile_data_path',
    intent: noData,
    required: [phone],
    asks: [pin, statusBar],
    tools: [verify],
    run: async (ctx) => {
      const first = await ctx.ask(pin);
      if (run === 'compare') {
        const again = await ctx.ask(pin, { fresh: true, question: 'For security, please type your PIN once more.' });
        seen.push({ first, again });
        const bar = await ctx.ask(statusBar);
        return first === again ? { status: 'resolved', reply: `PIN confirmed (${bar}).` } : { status: 'escalated', reply: 'The PINs differ.' };
      }
      const bar = await ctx.ask(statusBar);
      await ctx.call(verify, { line: ctx.slots.phone, pin: first });
      return { status: 'resolved', reply: `Verified (${bar}).` };
    },
  });
  const llm = new MockLLM();
  const store = new MemoryTicketStore();
  const options = { intents: [noData], workflows: [workflow], encryptionKey: randomBytes(32).toString('base64') };
  const agent = createAgent({ store, llm, ...options });
  const say = (message: string, entities: Record<string, unknown>) => {
    llm.enqueue({ intent: 'no_data', confidence: 0.9, entities });
    return agent.handle({ ticketId: 'PA-1', message });
  };
  return { agent, store, options, say, toolInputs, seen };
}

describe('answers of a procedure on later turns (E6, P1)', () => {
  it('E6 P1 a sensitive answer to ctx.ask is returned in clear on every later resume (a tool gets the PIN, not its mask)', async () => {
    const world = pinDomain('late-use');
    expect((await world.say('data dead on 5551234', { phone: '5551234' })).action).toMatchObject({ type: 'ask', slot: 'pin' });
    expect((await world.say('my pin is 8642', { pin: '8642' })).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    const done = await world.say('no service', { status_bar: 'no_service' });
    expect(done.action).toEqual({ type: 'execute', workflow: 'mobile_data_path', outcome: 'resolved' });
    expect(world.toolInputs).toEqual([{ line: '5551234', pin: '8642' }]);
    const { ticket, events } = await world.agent.inspect('PA-1');
    expect(JSON.stringify({ ticket, events })).not.toContain('8642');
    const report = await replayTicket({ store: world.store, ticketId: 'PA-1', ...world.options });
    expect(report.diverged).toBe(false);
  });

  it('E6 P1 a fresh re-ask of a sensitive slot compares the two answers the customer typed, not two masks', async () => {
    const world = pinDomain('compare');
    await world.say('data dead on 5551234', { phone: '5551234' });
    await world.say('pin 8642', { pin: '8642' });
    expect((await world.say('pin 1111', { pin: '1111' })).action).toMatchObject({ type: 'ask', slot: 'status_bar' });
    const done = await world.say('bars', { status_bar: 'bars' });
    expect(done.reply).toBe('The PINs differ.');
    expect(world.seen.at(-1)).toEqual({ first: '8642', again: '1111' });
  });
});
