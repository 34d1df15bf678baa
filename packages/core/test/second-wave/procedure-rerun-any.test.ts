import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

describe('rerun: any procedures and values added while they wait (E2a, E6)', () => {
  it('E2a an optional value given while a rerun:any procedure waits is used (or re-runs it)', async () => {
    const used: unknown[] = [];
    const city = defineSlot({ name: 'city', schema: z.string(), question: 'City?' });
    const diet = defineSlot({ name: 'diet', schema: z.string(), question: 'Diet?' });
    const party = defineSlot({ name: 'party', schema: z.number(), question: 'How many people?' });
    const intent = defineIntent({ name: 'find_restaurant' });
    const workflow = defineWorkflow({
      name: 'search',
      intent,
      required: [city],
      optional: [diet],
      asks: [party],
      rerun: 'any',
      run: async (ctx) => {
        const n = await ctx.ask(party);
        used.push({ diet: ctx.slots.diet ?? null, n });
        return { status: 'resolved', reply: `found for ${String(ctx.slots.diet ?? 'anyone')}` };
      },
    });
    const llm = new MockLLM();
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    const say = (message: string, entities: Record<string, unknown>) => {
      llm.enqueue({ intent: 'find_restaurant', confidence: 0.9, entities });
      return agent.handle({ ticketId: 'RA-1', message });
    };
    expect((await say('restaurants in Rome', { city: 'Rome' })).action).toMatchObject({ type: 'ask', slot: 'party' });
    await say('vegetarian please', { diet: 'vegetarian' });
    await say('4 people', { party: 4 });
    const after = await say('thanks', {});
    console.log(JSON.stringify(used), JSON.stringify(after.action), JSON.stringify((await agent.getTicket('RA-1'))?.slots));
    expect(used.some((entry: any) => entry.diet === 'vegetarian')).toBe(true);
  });
});
