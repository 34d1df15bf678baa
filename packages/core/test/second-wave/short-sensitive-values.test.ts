import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';

/**
 * P1 for short sensitive values (found by the upgrade audit): a CVV of three digits or an
 * amount of 30 passed to a tool was journaled in clear — values under four characters were
 * left out of masking altogether. Inside longer texts they still are (masking "30" in every
 * text would mangle ordinary ones); a whole string or number equal to one is masked, and the
 * call is sealed for replay like any call holding a sensitive value.
 */
function shortWorld() {
  const cvv = defineSlot({ name: 'cvv', schema: z.string().regex(/^\d{3}$/), question: 'The 3 digits on the back?', sensitive: true });
  const amount = defineSlot({ name: 'amount', schema: z.number(), question: 'How much?', sensitive: true });
  const pay = defineIntent({ name: 'pay', description: 'Pay by card' });
  const charge = defineTool({
    name: 'charge',
    input: z.object({ cvv: z.string(), amount: z.number(), days: z.number() }),
    output: z.object({ charged: z.number() }),
    run: (input) => ({ charged: input.amount }),
  });
  const payment = defineWorkflow({
    name: 'payment',
    intent: pay,
    required: [cvv, amount],
    tools: [charge],
    run: async (context) => {
      await context.call(charge, { cvv: context.slots.cvv, amount: context.slots.amount, days: 7 });
      return { status: 'resolved', reply: 'Charged.' };
    },
  });
  const store = new MemoryTicketStore();
  const agent = createAgent({
    store,
    llm: new MockLLM({ fallback: { intent: 'pay', confidence: 0.95, entities: { cvv: '123', amount: 30 } } }),
    intents: [pay],
    workflows: [payment],
    encryptionKey: new Uint8Array(32).fill(7),
  });
  return { agent, store };
}

describe('P1 short sensitive values', () => {
  it('P1 a 3-digit CVV and an amount of 30 passed to a tool are masked in the journal and its events, and sealed for replay', async () => {
    const { agent, store } = shortWorld();
    const result = await agent.handle({ ticketId: 'SV-1', message: 'pay 30 with cvv 123' });
    expect(result.action).toEqual({ type: 'execute', workflow: 'payment', outcome: 'resolved' });
    const raw = await store.events('SV-1', { after: 0, limit: 1_000 });
    const started = raw.find((event) => event.type === 'step.started')!;
    expect((started.data as { input: unknown }).input).toEqual({ cvv: '****', amount: '****', days: 7 });
    const completed = raw.find((event) => event.type === 'step.completed')!;
    expect((completed.data as { output: unknown }).output).toEqual({ charged: '****' });
    const { outcomes } = (await store.load('SV-1'))!.ticket as { outcomes: Record<string, { calls?: { input: unknown; sealedInput?: string }[] }> };
    const [call] = outcomes.payment!.calls!;
    expect(call!.input).toEqual({ cvv: '****', amount: '****', days: 7 });
    expect(call!.sealedInput).toEqual(expect.any(String)); // replay opens it with the key
    expect(JSON.stringify(outcomes)).not.toMatch(/"cvv":"123"|"amount":30\b/);
  });

  it('P1 a short value is not searched for inside longer texts (they would be mangled), and names no other slot', async () => {
    const { agent } = shortWorld();
    const result = await agent.handle({ ticketId: 'SV-2', message: 'pay 30 with cvv 123' });
    // The customer's own sentence keeps its words; only the slots' views are masked.
    expect(result.ticket.transcript[0]!.text).toBe('pay 30 with cvv 123');
    expect(result.ticket.slots.cvv?.value).toBe('****');
    // `days: 7` is not a sensitive value; an unrelated 7 elsewhere stays as it is.
    const step = (await agent.inspect('SV-2')).events.find((event) => event.type === 'step.started')!;
    expect((step.data as { input: { days: number } }).input.days).toBe(7);
  });
});
