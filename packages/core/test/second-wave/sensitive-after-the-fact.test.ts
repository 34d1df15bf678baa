import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryStoreData, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * P1 when an app declares a slot `sensitive: true` after tickets already hold it in clear (found
 * by the upgrade audit: every app adopting the option hits it). Before, views showed the clear
 * value and the new engine kept journaling it in clear; now the value is sealed and masked as
 * soon as the ticket is read, and the next commit stores only the ciphertext.
 */
function world(sensitive: boolean, data: MemoryStoreData) {
  const phone = defineSlot({ name: 'phone', schema: z.string(), question: 'Your phone number?', ...(sensitive ? { sensitive: true } : {}) });
  const callback = defineIntent({ name: 'callback', description: 'Wants a call back' });
  const called: string[] = [];
  const schedule = defineTool({
    name: 'schedule_call',
    input: z.object({ phone: z.string() }),
    output: z.object({ ok: z.boolean() }),
    run: (input) => {
      called.push(input.phone);
      return { ok: true };
    },
  });
  const workflow = defineWorkflow({
    name: 'callback',
    intent: callback,
    required: [phone],
    tools: [schedule],
    run: async (context) => {
      await context.call(schedule, { phone: context.slots.phone });
      return { status: 'resolved', reply: 'We will call you.' };
    },
  });
  const store = new MemoryTicketStore({ data });
  const agent = createAgent({
    store,
    llm: new MockLLM({ fallback: { intent: 'callback', confidence: 0.95, entities: { phone: '+49 151 2345678' } } }),
    intents: [callback],
    workflows: [workflow],
    ...(sensitive ? { encryptionKey: new Uint8Array(32).fill(9) } : {}),
  });
  return { agent, store, called };
}

describe('P1 a slot declared sensitive after tickets hold it in clear', () => {
  it('P1 views mask it at once; the next turn stores it sealed, masks the transcript and journals the tool call masked; the tool still gets the value', async () => {
    const data = new MemoryStoreData();
    const before = world(false, data);
    await before.agent.handle({ ticketId: 'SF-1', message: 'call me back on +49 151 2345678', messageId: 'm-1' });
    expect(before.called).toEqual(['+49 151 2345678']);

    const after = world(true, data);
    const earlier = (await after.store.events('SF-1', { after: 0, limit: 1_000 })).length;
    expect((await after.agent.getTicket('SF-1'))!.slots.phone?.value).not.toContain('2345678');
    expect(JSON.stringify((await after.agent.getTicket('SF-1'))!.transcript)).not.toContain('2345678');
    const turn = await after.agent.handle({ ticketId: 'SF-1', message: 'please call me again' });
    expect(turn.action).toEqual({ type: 'execute', workflow: 'callback', outcome: 'resolved' });
    expect(after.called).toEqual(['+49 151 2345678']);
    const stored = (await after.store.load('SF-1'))!.ticket;
    expect(JSON.stringify(stored.slots)).not.toContain('2345678');
    expect(JSON.stringify(stored.transcript)).not.toContain('2345678');
    // The recorded result of the first message (its decision's entities) too, and a resend is still recognised.
    expect(JSON.stringify(stored.processed)).not.toContain('2345678');
    expect(JSON.stringify(stored)).not.toContain('2345678');
    expect((await after.agent.handle({ ticketId: 'SF-1', message: 'call me back on +49 151 2345678', messageId: 'm-1' })).duplicate).toBe(true);
    const events = await after.store.events('SF-1', { after: 0, limit: 1_000 });
    const written = events.filter((event) => event.seq > earlier); // the events of the turn after the change
    expect(written.length).toBeGreaterThan(0);
    expect(JSON.stringify(written)).not.toContain('2345678');
  });
});
