import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError, createAgent, defineIntent, defineSlot, defineTool, defineWorkflow, MemoryTicketStore } from '@ticketflow/core';
import { MockLLM } from '@ticketflow/llm-mock';
import { watchUnhandledRejections } from '../support/unhandled-rejections.js';

/**
 * A slot's schema is app code the engine runs inside a turn: a refinement or transform that
 * throws, or an asynchronous part zod cannot run synchronously, must refuse the value like any
 * invalid one (S4), never make `handle` throw and lose the message. An `async` refinement or
 * transform, which could never accept a value, is refused where it is defined.
 */
function world(regionSchema: z.ZodType) {
  const region = defineSlot({ name: 'region', schema: regionSchema, question: 'Which city are you in?' });
  const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work' });
  const workflow = defineWorkflow({
    name: 'fix_internet',
    intent,
    required: [region],
    run: async (ctx) => ({ status: 'resolved', reply: `Fixed in ${String(ctx.slots.region)}.` }),
  });
  const llm = new MockLLM({ rules: [{ match: /internet/, intent: 'no_internet', confidence: 0.9, entities: { region: 'Berlin' } }] });
  const store = new MemoryTicketStore();
  const agent = createAgent({ store, llm, intents: [intent], workflows: [workflow], maxClarifications: 2 });
  return { agent, store };
}

const throwingSchemas: [string, () => z.ZodType, string][] = [
  [
    'a refinement that throws',
    () => z.string().refine((value) => (value as unknown as { x: { y: boolean } }).x.y),
    'the schema threw a TypeError on this value',
  ],
  [
    'a transform that throws',
    () =>
      z.string().transform((): string => {
        throw new RangeError('the lookup table has no such city');
      }),
    'the schema threw a RangeError on this value',
  ],
  [
    'a superRefine returning a promise',
    () => z.string().superRefine(() => Promise.resolve()),
    'the schema is asynchronous (an async refinement or transform): values are parsed synchronously',
  ],
];

describe('slot and tool schemas that throw', () => {
  for (const [label, schema, reason] of throwingSchemas) {
    it(`S4 ${label} refuses the value: the turn asks again, records why, and keeps the message`, async () => {
      const { agent } = world(schema());
      const result = await agent.handle({ ticketId: 'T-1', message: 'no internet at home', messageId: 'm-1' });
      expect(result.action).toMatchObject({ type: 'ask', slot: 'region' });
      expect(result.ticket.slots.region).toBeUndefined();
      const { events } = await agent.inspect('T-1');
      expect(events.find((event) => event.type === 'slot.rejected')?.data).toEqual({ slot: 'region', value: 'Berlin', reason });
      expect(events.find((event) => event.type === 'message.received')).toBeDefined();
      // The reason names the error's class, never its message (which may quote the value).
      expect(JSON.stringify(events)).not.toContain('lookup table');
    });
  }

  it('T5 a slot schema that always throws ends in a hand-over, not in an endless loop or a thrown turn', async () => {
    const { agent } = world(z.string().refine(() => JSON.parse('{')));
    const actions = [];
    for (let turn = 1; turn <= 4; turn++) actions.push((await agent.handle({ ticketId: 'T-2', message: 'no internet', messageId: `m-${turn}` })).action.type);
    expect(actions).toContain('escalate');
  });

  it('refuses an async refinement or transform where the slot or tool is defined', () => {
    const issuesOf = (define: () => unknown) => {
      try {
        define();
      } catch (error) {
        if (ConfigurationError.isInstance(error)) return error.issues;
        throw error;
      }
      return [];
    };
    expect(issuesOf(() => defineSlot({ name: 'city', schema: z.string().refine(async () => true), question: 'City?' }))).toEqual([
      'slot "city": its schema has an async refinement; slot values are parsed synchronously, so check asynchronously in a tool instead',
    ]);
    expect(issuesOf(() => defineSlot({ name: 'city', schema: z.object({ name: z.string().transform(async (value) => value) }), question: 'City?' }))).toEqual([
      'slot "city": its schema has an async transform; slot values are parsed synchronously, so check asynchronously in a tool instead',
    ]);
    const tool = (input: z.ZodType, output: z.ZodType) => () => defineTool({ name: 'lookup', input, output, run: async () => ({}) });
    expect(issuesOf(tool(z.object({ id: z.string().check(async () => {}) }), z.object({})))).toEqual([
      'tool "lookup": its input schema has an async refinement; tool inputs and outputs are parsed synchronously, so await inside run instead',
    ]);
    expect(
      issuesOf(
        tool(
          z.object({}),
          z.array(z.string()).refine(async () => true),
        ),
      ),
    ).toEqual(['tool "lookup": its output schema has an async refinement; tool inputs and outputs are parsed synchronously, so await inside run instead']);
    // Synchronous refinements and transforms are fine.
    expect(
      issuesOf(() =>
        defineSlot({
          name: 'city',
          schema: z
            .string()
            .refine((value) => value.length > 1)
            .transform((value) => value.trim()),
        }),
      ),
    ).toEqual([]);
  });

  it('E3 a tool whose output schema throws fails its step with the error class named, and compensates', async () => {
    const region = defineSlot({ name: 'region', schema: z.string(), question: 'Which city are you in?' });
    const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work' });
    const undone: string[] = [];
    const reset = defineTool({
      name: 'reset_line',
      input: z.object({ region: z.string() }),
      output: z.object({ done: z.boolean() }),
      run: async () => ({ done: true }),
      compensate: async (input) => void undone.push(input.region),
    });
    const check = defineTool({
      name: 'check_line',
      input: z.object({ region: z.string() }),
      output: z.object({
        ok: z.boolean().transform((): boolean => {
          throw new Error('secret detail');
        }),
      }),
      run: async () => ({ ok: true }),
    });
    const workflow = defineWorkflow({
      name: 'fix_internet',
      intent,
      required: [region],
      tools: [reset, check],
      run: async (ctx) => {
        await ctx.call(reset, { region: ctx.slots.region });
        await ctx.call(check, { region: ctx.slots.region });
        return { status: 'resolved', reply: 'Fixed.' };
      },
    });
    const llm = new MockLLM({ rules: [{ match: /internet/, intent: 'no_internet', confidence: 0.9, entities: { region: 'Berlin' } }] });
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    const result = await agent.handle({ ticketId: 'T-3', message: 'no internet', messageId: 'm-1' });
    expect(result.action).toMatchObject({ type: 'execute', outcome: 'failed' });
    expect(undone).toEqual(['Berlin']);
    const { events } = await agent.inspect('T-3');
    expect(events.find((event) => event.type === 'step.failed')?.data).toMatchObject({
      tool: 'check_line',
      error: 'ToolOutputError: invalid output from tool "check_line": the schema threw an Error on this value',
    });
    expect(JSON.stringify(events)).not.toContain('secret detail');
  });
});

describe('conditions and derivations that answer with a promise', () => {
  it('D1 S2 a when or an infer.derive returning a rejected promise holds nothing and leaves no unhandled rejection', async () => {
    const unhandled = watchUnhandledRejections();
    const postcode = defineSlot({ name: 'postcode', schema: z.string(), question: 'Your postcode?' });
    const region = defineSlot({
      name: 'region',
      schema: z.string(),
      question: 'Which city are you in?',
      // A plain function returning a promise: it cannot be refused where it is defined.
      infer: { from: ['postcode'], derive: (() => Promise.reject(new Error('geo service down'))) as unknown as () => string },
    });
    const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work' });
    const remote = defineWorkflow({
      name: 'remote_fix',
      intent,
      required: [postcode],
      when: (() => Promise.reject(new Error('rules service down'))) as unknown as () => boolean,
      run: async () => ({ status: 'resolved', reply: 'Fixed remotely.' }),
    });
    const visit = defineWorkflow({
      name: 'visit',
      intent,
      required: [postcode, region],
      run: async (ctx) => ({ status: 'resolved', reply: `A technician comes to ${ctx.slots.region}.` }),
    });
    const llm = new MockLLM({ rules: [{ match: /internet/, intent: 'no_internet', confidence: 0.9, entities: { postcode: '10115' } }] });
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [remote, visit] });
    const result = await agent.handle({ ticketId: 'T-4', message: 'no internet', messageId: 'm-1' });
    await unhandled.settle();
    unhandled.stop();
    expect(result.action).toMatchObject({ type: 'ask', slot: 'region', workflow: 'visit' });
    expect(result.ticket.slots.region).toBeUndefined();
    expect(unhandled.reasons).toEqual([]);
  });

  it('an async when, infer.derive or requiresApproval is refused where it is defined', () => {
    const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work' });
    expect(() =>
      defineWorkflow({ name: 'w', intent, when: (async () => true) as unknown as () => boolean, run: async () => ({ status: 'resolved', reply: 'ok' }) }),
    ).toThrow('when must answer synchronously');
    expect(() =>
      defineSlot({ name: 'region', schema: z.string(), infer: { from: ['postcode'], derive: (async () => 'Berlin') as unknown as () => string } }),
    ).toThrow('infer.derive must answer synchronously');
    expect(() => defineSlot({ name: 'region', schema: z.string(), format: (async (value: string) => value) as unknown as (value: string) => string })).toThrow(
      'format must answer synchronously',
    );
  });

  it('E2 a format returning a promise shows the raw value in the confirmation question, and its rejection is handled', async () => {
    const unhandled = watchUnhandledRejections();
    const region = defineSlot({
      name: 'region',
      schema: z.string(),
      question: 'Which city are you in?',
      format: (() => Promise.reject(new Error('the city lookup is down'))) as unknown as (value: string) => string,
    });
    const intent = defineIntent({ name: 'no_internet', description: 'Internet does not work' });
    const workflow = defineWorkflow({ name: 'visit', intent, required: [region], confirm: true, run: async () => ({ status: 'resolved', reply: 'Booked.' }) });
    const llm = new MockLLM({ rules: [{ match: /internet/, intent: 'no_internet', confidence: 0.9, entities: { region: 'Berlin' } }] });
    const agent = createAgent({ store: new MemoryTicketStore(), llm, intents: [intent], workflows: [workflow] });
    const result = await agent.handle({ ticketId: 'T-5', message: 'no internet', messageId: 'm-1' });
    await unhandled.settle();
    unhandled.stop();
    expect(result.reply).toContain('region: Berlin');
    expect(result.reply).not.toContain('[object Promise]');
    expect(unhandled.reasons).toEqual([]);
  });
});
